-- One row per batch of input: a file, a SQL window, an API poll, a Kafka window.
create table jobs (
    id                  bigserial primary key,
    source              text        not null,
    trigger             text        not null,
    input               text,
    status              text        not null check (status in ('queued', 'running', 'succeeded', 'failed')),
    format              text,
    lines_read          bigint      not null default 0,
    events_parsed       bigint      not null default 0,
    events_quarantined  bigint      not null default 0,
    anomalies           integer     not null default 0,
    bytes_total         bigint,
    bytes_read          bigint      not null default 0,
    progress            real        not null default 0,
    warnings            text,
    error               text,
    created_at          timestamptz not null default now(),
    started_at          timestamptz,
    finished_at         timestamptz
);
create index jobs_source_created on jobs (source, created_at desc);

-- Mined templates per source: the miner's persisted state, restored at the next job of that source.
create table templates (
    source       text        not null,
    id           text        not null,
    pattern      text        not null,
    count        bigint      not null,
    first_seen   timestamptz,
    last_seen    timestamptz,
    previous_ids text[]      not null default '{}',
    primary key (source, id)
);

-- What a source has seen so far: decides when its learning period is over.
create table source_state (
    source       text        primary key,
    first_event  timestamptz not null,
    last_event   timestamptz not null,
    events       bigint      not null,
    updated_at   timestamptz not null default now()
);

create table anomalies (
    id            bigserial primary key,
    job_id        bigint           not null references jobs (id) on delete cascade,
    source        text             not null,
    detector      text             not null,
    score         double precision not null check (score between 0 and 100),
    severity      text             not null check (severity in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    window_start  timestamptz,
    window_end    timestamptz,
    template_id   text,
    template      text,
    title         text             not null,
    explanation   text             not null,
    expected      double precision,
    observed      double precision,
    evidence      jsonb            not null default '[]',
    contributors  jsonb            not null default '[]',
    llm_summary   text,
    llm_cause     text,
    llm_action    text,
    llm_model     text,
    status        text             not null default 'open' check (status in ('open', 'acknowledged', 'false_positive')),
    created_at    timestamptz      not null default now()
);
create index anomalies_job on anomalies (job_id);
create index anomalies_source_time on anomalies (source, window_start desc);

create table reports (
    id          bigserial primary key,
    job_id      bigint      not null references jobs (id) on delete cascade,
    format      text        not null check (format in ('html', 'json')),
    location    text        not null,
    created_at  timestamptz not null default now()
);
create index reports_job on reports (job_id);

-- Records that failed validation, kept with the reason so nothing is lost.
create table quarantine (
    id          bigserial primary key,
    job_id      bigint      not null references jobs (id) on delete cascade,
    source      text        not null,
    origin      text,
    line        bigint,
    reason      text        not null,
    raw         text        not null,
    created_at  timestamptz not null default now()
);
create index quarantine_job on quarantine (job_id);
