-- Alerts and feedback (issue 13): suppression rules, incidents for de-duplication, and the delivery outbox.

-- An anomaly matching a suppression rule is stored as 'suppressed' (and not alerted), with the rule that matched.
alter table anomalies drop constraint anomalies_status_check;
alter table anomalies add constraint anomalies_status_check
    check (status in ('open', 'acknowledged', 'false_positive', 'suppressed'));
alter table anomalies add column suppression_rule_id bigint;

-- Operators' feedback that detection applies before storing. suppress: matching anomalies are stored as suppressed;
-- expected: the events were normal, so matching findings up to the observed peak are part of the baseline.
create table suppression_rules (
    id               bigserial   primary key,
    kind             text        not null check (kind in ('suppress', 'expected')),
    source           text        not null,
    detector         text        not null,
    template_id      text,                     -- null: any template (bursts of a whole level have none)
    influencer_field text,                     -- with influencer_value: only anomalies this value drove
    influencer_value text,
    observed         double precision,         -- expected: the peak count per window folded into the baseline
    expires_at       timestamptz,              -- null: for good
    created_by       text        not null,
    created_at       timestamptz not null default now(),
    reason           text,
    anomaly_id       bigint                    -- the anomaly the feedback was given on
);
create index suppression_rules_source on suppression_rules (source);

-- One row per incident fingerprint (source, detector, template or leading influencer): open while its anomalies keep
-- coming, resolved once they stopped for the dedup window. pending_payload: an update held by the update interval.
create table alert_incidents (
    fingerprint      text        primary key,
    source           text        not null,
    detector         text        not null,
    incident_key     text        not null,
    status           text        not null check (status in ('open', 'resolved')),
    opened_at        timestamptz not null,
    last_seen_at     timestamptz not null,
    last_sent_at     timestamptz,
    last_job_id      bigint,
    severity         text        not null,          -- the highest severity the incident reached
    last_payload     text        not null,          -- what the last alert said, JSON ("resolved" repeats it)
    pending_payload  text,
    resolved_at      timestamptz
);
create index alert_incidents_open on alert_incidents (last_seen_at) where status = 'open';

-- The outbox: one row per alert and channel, written in the job's publish transaction, sent afterwards.
-- pending/retrying: due at next_attempt_at; held: over the channel's rate limit, goes out in the next digest;
-- digested: sent inside the digest digest_id; cancelled: its job failed or was interrupted (the input is analysed again).
create table alert_deliveries (
    id               bigserial   primary key,
    job_id           bigint      references jobs (id) on delete set null,
    channel          text        not null,
    kind             text        not null check (kind in ('open', 'update', 'resolved', 'digest')),
    fingerprint      text,
    severity         text        not null,
    title            text        not null,
    payload          text        not null,          -- the alert JSON, exactly as sent (and signed)
    status           text        not null check (status in ('pending', 'retrying', 'sent', 'failed', 'held',
                                                            'digested', 'cancelled')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null default now(),
    last_error       text,
    created_at       timestamptz not null default now(),
    sent_at          timestamptz,
    digest_id        bigint      references alert_deliveries (id)
);
create index alert_deliveries_due on alert_deliveries (channel, next_attempt_at) where status in ('pending', 'retrying');
create index alert_deliveries_held on alert_deliveries (channel) where status = 'held';
create index alert_deliveries_created on alert_deliveries (created_at desc);
