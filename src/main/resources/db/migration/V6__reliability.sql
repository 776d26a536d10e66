-- interrupted: left running by a process that died (marked at the next start-up, its input analysed again).
-- empty: a source run that found nothing new (no report files are written for it).
alter table jobs drop constraint jobs_status_check;
alter table jobs add constraint jobs_status_check
    check (status in ('queued', 'running', 'succeeded', 'failed', 'interrupted', 'empty'));
-- The host whose process ran the job: at start-up a service interrupts only the jobs its own host left running.
alter table jobs add column instance text;
create index jobs_running on jobs (status) where status = 'running';

-- Keys of the records stored at the watermark's timestamp: records sharing that timestamp are told apart by this
-- set, not by key order (UUID keys do not increase).
alter table source_watermarks add column keys_at_ts text[] not null default '{}';
