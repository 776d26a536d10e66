-- Read model for the API and the dashboard (issue 12): who changed an anomaly's status, when and why, and the
-- indexes behind filtered, keyset-paged anomaly lists.

-- The anomaly's time on lists: its window's start, or when it was stored for a finding without a window.
alter table anomalies add column occurred_at timestamptz generated always as (coalesce(window_start, created_at)) stored;
-- The latest status change, kept on the row for lists; the whole story is in anomaly_status_history.
alter table anomalies add column status_note text;
alter table anomalies add column status_by text;
alter table anomalies add column status_at timestamptz;

create index anomalies_occurred on anomalies (occurred_at desc, id desc);
create index anomalies_score on anomalies (score desc, id desc);
create index anomalies_status on anomalies (status, occurred_at desc);

-- Every status change an operator made, with the feedback asked for (a suppression rule or an expected pattern).
create table anomaly_status_history (
    id            bigserial   primary key,
    anomaly_id    bigint      not null references anomalies (id) on delete cascade,
    from_status   text        not null,
    to_status     text        not null check (to_status in ('open', 'acknowledged', 'false_positive')),
    note          text,
    changed_by    text        not null,
    changed_at    timestamptz not null default clock_timestamp(),
    feedback      text        not null default 'none' check (feedback in ('none', 'suppress', 'expected')),
    suppress_for  interval,
    influencer    text
);
create index anomaly_status_history_anomaly on anomaly_status_history (anomaly_id, id);

