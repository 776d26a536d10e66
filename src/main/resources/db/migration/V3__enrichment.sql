-- LLM enrichment: its outcome on each anomaly, the answer cache, and the call log the hourly budget counts.
alter table anomalies
    add column llm_status              text check (llm_status in ('enriched', 'skipped', 'failed')),
    add column llm_reason              text,
    add column llm_actions             jsonb,
    add column llm_severity_adjustment integer check (llm_severity_adjustment between -20 and 20),
    add column llm_cached              boolean not null default false;

-- One answer per (source, detector, template, model): the same anomaly is not paid for twice.
create table llm_cache (
    source        text        not null,
    detector      text        not null,
    template_key  text        not null,
    model         text        not null,
    answer        jsonb       not null,
    created_at    timestamptz not null default now(),
    primary key (source, detector, template_key, model)
);

-- Every call made to the provider (a retried invalid answer is a second call).
create table llm_calls (
    id          bigserial   primary key,
    job_id      bigint      references jobs (id) on delete set null,
    purpose     text        not null check (purpose in ('explain', 'classify')),
    outcome     text        not null check (outcome in ('answered', 'invalid', 'failed')),
    prompt_chars integer    not null,
    called_at   timestamptz not null default now()
);
create index llm_calls_called_at on llm_calls (called_at);
