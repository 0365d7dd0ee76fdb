-- The life of a sitting's minutes (CGCT L3121-13): the substance of the discussions per
-- item, the item of a later sitting that approves them, and their publication once signed.
CREATE TABLE item_discussion (
    item BIGINT PRIMARY KEY REFERENCES agenda_item (id),
    text TEXT NOT NULL
);

CREATE TABLE minutes_approval (
    report  BIGINT PRIMARY KEY REFERENCES report (id),
    sitting BIGINT NOT NULL REFERENCES sitting (id)
);
CREATE INDEX minutes_approval_sitting ON minutes_approval (sitting);

CREATE TABLE minutes_publication (
    sitting      BIGINT PRIMARY KEY REFERENCES sitting (id),
    published_on TEXT NOT NULL CHECK (published_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
    file         BIGINT NOT NULL REFERENCES stored_file (id),
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);
