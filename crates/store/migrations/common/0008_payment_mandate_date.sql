-- The date of the mandat (payment order) a payment was made under: AAAA-MM-JJ, or none for
-- payments recorded before it was asked.
ALTER TABLE payment ADD COLUMN mandate_date TEXT
    CHECK (mandate_date IS NULL OR (length(mandate_date) = 10 AND substr(mandate_date, 5, 1) = '-' AND substr(mandate_date, 8, 1) = '-'));
