-- How far each database, REST or Kafka source has read: the (timestamp, key) of the last record stored. Advanced in
-- the transaction that stores the job's results, so a crash never skips or repeats a record.
create table source_watermarks (
    source      text        primary key,
    kind        text        not null check (kind in ('sql', 'rest', 'kafka')),
    last_ts     timestamptz,
    last_key    text,
    updated_at  timestamptz not null default now()
);
