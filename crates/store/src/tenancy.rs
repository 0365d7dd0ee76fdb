//! Keeping collectivities apart on PostgreSQL: each transaction is bound to one
//! collectivity, and row-level security (migration 0018) shows it only that one's rows.

use crate::{StoreError, TENANT_ROLE};
use sqlx::{AnyConnection, AnyPool, Executor};

/// Makes sure the role transactions take exists and may use this schema's tables, when
/// the connecting user would bypass row-level security; says whether it is needed.
/// Tables and their sequences are granted together, so a table granted has its sequence.
///
/// Creating the role and granting are serialised by an advisory lock: several servers
/// starting together on one database would otherwise race on the catalogue.
pub(crate) async fn prepare_tenant_role(pool: &AnyPool) -> Result<bool, StoreError> {
    if !bypasses_row_security(pool).await? {
        // The owner of the tables is bound by them: the migration forces the policies.
        return Ok(false);
    }
    // Every command and server start opens the store: the catalogue is written only when
    // the role is missing or a table (a new migration's) is not granted to it yet.
    if tenant_role_ready(pool).await? {
        return Ok(true);
    }
    let mut tx = pool.begin().await?;
    tx.execute("SELECT pg_advisory_xact_lock(4242022)").await?;
    tx.execute(sqlx::AssertSqlSafe(format!(
        "DO $$ BEGIN \
             IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TENANT_ROLE}') THEN \
                 CREATE ROLE {TENANT_ROLE} NOLOGIN; \
             END IF; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; \
         END $$"
    )))
    .await?;
    tx.execute(sqlx::AssertSqlSafe(format!(
        "DO $$ BEGIN \
             EXECUTE format('GRANT USAGE ON SCHEMA %I TO {TENANT_ROLE}', current_schema()); \
             EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {TENANT_ROLE}', current_schema()); \
             EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO {TENANT_ROLE}', current_schema()); \
         END $$"
    )))
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Whether the connecting user would bypass row-level security (a superuser, or a role
/// with BYPASSRLS): its transactions must then take the tenant role.
pub(crate) async fn bypasses_row_security(pool: &AnyPool) -> Result<bool, StoreError> {
    let (bypasses,): (bool,) = sqlx::query_as(
        "SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(pool)
    .await?;
    Ok(bypasses)
}

/// Whether the tenant role exists and may use every table of this schema. Only reads the
/// catalogue, so it also answers on a read-only replica.
pub(crate) async fn tenant_role_ready(pool: &AnyPool) -> Result<bool, StoreError> {
    let (ready,): (bool,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TENANT_ROLE}') THEN false \
         ELSE has_schema_privilege('{TENANT_ROLE}', current_schema(), 'USAGE') AND NOT EXISTS ( \
             SELECT 1 FROM pg_tables WHERE schemaname = current_schema() \
             AND NOT has_table_privilege('{TENANT_ROLE}', format('%I.%I', schemaname, tablename), 'INSERT')) \
         END"
    )))
    .fetch_one(pool)
    .await?;
    Ok(ready)
}

/// What binds an open transaction to a collectivity (`$1`, as text) until it ends, and
/// makes it take the tenant role (`$2`) when needed.
pub(crate) fn bind_sql(tenant_role: bool) -> &'static str {
    if tenant_role {
        "SELECT set_config('acta.collectivity', $1, true), set_config('role', $2, true)"
    } else {
        "SELECT set_config('acta.collectivity', $1, true), CAST($2 AS TEXT)"
    }
}

/// Binds the open transaction on `conn` to `collectivity` until it ends (PostgreSQL).
pub(crate) async fn bind(
    conn: &mut AnyConnection,
    collectivity: i64,
    tenant_role: bool,
) -> Result<(), StoreError> {
    sqlx::query(bind_sql(tenant_role))
        .bind(collectivity.to_string())
        .bind(TENANT_ROLE)
        .execute(conn)
        .await?;
    Ok(())
}
