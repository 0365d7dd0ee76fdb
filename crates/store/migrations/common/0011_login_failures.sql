-- Failed log-ins counted per login ("identifiant:…") and per client address
-- ("adresse:…"), shared by every server of the deployment; the rule that reads them is
-- domain::throttle.
CREATE TABLE login_failure (
    key          TEXT PRIMARY KEY,
    count        BIGINT NOT NULL CHECK (count >= 0),
    last_at      BIGINT NOT NULL,
    locked_until BIGINT
);
