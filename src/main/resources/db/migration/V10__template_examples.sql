-- One line of each template (the first a job saw), for the dashboard's templates page and the API.
alter table templates add column example text;
