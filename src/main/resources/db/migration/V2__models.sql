-- Trained detection models per source (Isolation Forests over windows and sessions), retrained when stale.
create table models (
    source      text        not null,
    kind        text        not null check (kind in ('window-forest', 'session-forest')),
    model       bytea       not null,
    trained_at  timestamptz not null default now(),
    samples     integer     not null,
    primary key (source, kind)
);
