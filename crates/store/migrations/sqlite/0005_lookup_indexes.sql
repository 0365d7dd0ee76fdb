-- Lookups by foreign key that every indexing run and every credit check makes: without
-- these, each one scans the whole award or convention table, and reindexing or loading a
-- register grows with the square of its size.
CREATE INDEX award_report ON award (report_id);
CREATE INDEX award_beneficiary ON award (beneficiary_id);
CREATE INDEX award_budget_line ON award (budget_line_id);
CREATE INDEX convention_deliberation ON convention (deliberation_id);
CREATE INDEX convention_beneficiary ON convention (beneficiary_id);
