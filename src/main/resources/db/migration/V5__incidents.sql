-- Detection on first files (issue 8): the window chosen from a source's data is kept for its later inputs,
-- and anomalies carry who/what drove them (influencers), the other findings of the same incident (parts)
-- and the statistics behind them (details).
alter table source_state add column window_millis bigint;
alter table source_state add column window_reason text;

alter table anomalies add column influencers jsonb not null default '[]';
alter table anomalies add column parts jsonb not null default '[]';
alter table anomalies add column details text not null default '';

-- A continuous source's last windows, held for its next batch (late events join them before they are judged).
alter table models drop constraint models_kind_check;
alter table models add constraint models_kind_check check (kind in ('window-forest', 'session-forest', 'open-windows'));
