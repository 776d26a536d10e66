-- API keys (issue 12): only a SHA-256 of each key is kept (keys are 256 random bits, so a slow hash adds nothing);
-- the prefix lets an operator tell keys apart. Revoked keys stay listed with who revoked them and when.
create table api_keys (
    id              bigserial   primary key,
    name            text        not null check (length(name) between 1 and 100),
    scope           text        not null check (scope in ('read', 'write')),
    prefix          text        not null,
    hash            text        not null unique,
    created_by      text        not null,
    created_at      timestamptz not null default now(),
    last_used_at    timestamptz,
    last_used_from  text,
    revoked_at      timestamptz,
    revoked_by      text
);
