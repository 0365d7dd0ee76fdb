//! The collectivity, its bodies, political groups, members, mandates and services.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::collectivity::{Address, Body, Collectivity, Service};
use acta_domain::identifiers::{Siren, Siret};
use acta_domain::people::{Mandate, Member, PersonName, PoliticalGroup, Role};
use acta_domain::{Id, Stored};
use sqlx::any::AnyRow;

fn collectivity_from_row(row: &AnyRow) -> Result<Collectivity, StoreError> {
    Ok(Collectivity {
        name: get(row, "name")?,
        header_name: get(row, "header_name")?,
        kind: enum_from(row, "kind")?,
        department_code: get(row, "department_code")?,
        siren: parsed(row, "siren", |s| Siren::parse("siren", s))?,
        siret: opt_parsed(row, "siret", |s| Siret::parse("siret", s))?,
        address: Address {
            street: get(row, "street")?,
            postal_code: get(row, "postal_code")?,
            city: get(row, "city")?,
        },
        seat_city: get(row, "seat_city")?,
    })
}

fn body_from_row(row: &AnyRow) -> Result<Stored<Body>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Body {
            kind: enum_from(row, "kind")?,
            name: get(row, "name")?,
            ordinal: opt_u32(row, "ordinal")?,
        },
    ))
}

fn group_from_row(row: &AnyRow) -> Result<Stored<PoliticalGroup>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        PoliticalGroup {
            name: get(row, "name")?,
            unaffiliated: flag(row, "unaffiliated")?,
        },
    ))
}

fn member_from_row(row: &AnyRow) -> Result<Stored<Member>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Member {
            name: PersonName {
                civility: enum_from(row, "civility")?,
                first_name: get(row, "first_name")?,
                last_name: get(row, "last_name")?,
            },
            group: opt_id(row, "group_id")?,
        },
    ))
}

fn mandate_from_row(row: &AnyRow) -> Result<Stored<Mandate>, StoreError> {
    let role_code: String = get(row, "role")?;
    let role = match role_code.as_str() {
        "president" => Role::President,
        "vice_president" => Role::VicePresident {
            rank: opt_u32(row, "vp_rank")?,
        },
        "member" => Role::Member,
        other => return Err(StoreError::corrupt("mandate.role", other.to_string())),
    };
    Ok(Stored::new(
        id(row, "id")?,
        Mandate {
            member: id(row, "member_id")?,
            body: id(row, "body_id")?,
            role,
            voting: flag(row, "voting")?,
            start: opt_date(row, "start_date")?,
            end: opt_date(row, "end_date")?,
        },
    ))
}

fn service_from_row(row: &AnyRow) -> Result<Stored<Service>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Service {
            kind: enum_from(row, "kind")?,
            name: get(row, "name")?,
            parent: opt_id(row, "parent_id")?,
        },
    ))
}

impl Tx {
    /// Records the collectivity this transaction is bound to, replacing what was there.
    pub async fn put_collectivity(&mut self, c: &Collectivity) -> Result<(), StoreError> {
        let before = self.collectivity().await?;
        sqlx::query(
            "INSERT INTO collectivity (id, name, header_name, kind, department_code, siren, siret, street, postal_code, city, seat_city) \
             VALUES ($11, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (id) DO UPDATE SET name = $1, header_name = $2, kind = $3, department_code = $4, \
             siren = $5, siret = $6, street = $7, postal_code = $8, city = $9, seat_city = $10",
        )
        .bind(c.name.clone())
        .bind(c.header_name.clone())
        .bind(enum_code(&c.kind)?)
        .bind(c.department_code.clone())
        .bind(c.siren.as_str().to_string())
        .bind(c.siret.as_ref().map(|s| s.as_str().to_string()))
        .bind(c.address.street.clone())
        .bind(c.address.postal_code.clone())
        .bind(c.address.city.clone())
        .bind(c.seat_city.clone())
        .bind(self.collectivity_id())
        .execute(self.conn())
        .await?;
        let act = if before.is_some() {
            action::UPDATE
        } else {
            action::CREATE
        };
        let key = self.collectivity_id().to_string();
        self.record(act, entity::COLLECTIVITY, &key, before.as_ref(), Some(c))
            .await
    }

    /// The collectivity this transaction is bound to.
    pub async fn collectivity(&mut self) -> Result<Option<Collectivity>, StoreError> {
        let row = sqlx::query("SELECT * FROM collectivity WHERE id = $1")
            .bind(self.collectivity_id())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(collectivity_from_row).transpose()
    }

    pub async fn insert_body(&mut self, body: &Body) -> Result<Id<Body>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO body (kind, name, ordinal) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(enum_code(&body.kind)?)
                .bind(body.name.clone())
                .bind(body.ordinal.map(i64::from)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), body.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::BODY,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn bodies(&mut self) -> Result<Vec<Stored<Body>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM body ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(body_from_row).collect()
    }

    pub async fn body(&mut self, id: Id<Body>) -> Result<Option<Stored<Body>>, StoreError> {
        let row = sqlx::query("SELECT * FROM body WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(body_from_row).transpose()
    }

    pub async fn insert_group(
        &mut self,
        group: &PoliticalGroup,
    ) -> Result<Id<PoliticalGroup>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO political_group (name, unaffiliated) VALUES ($1, $2) RETURNING id",
                )
                .bind(group.name.clone())
                .bind(bool_int(group.unaffiliated)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), group.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::GROUP,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn groups(&mut self) -> Result<Vec<Stored<PoliticalGroup>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM political_group ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(group_from_row).collect()
    }

    pub async fn insert_member(&mut self, member: &Member) -> Result<Id<Member>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO member (civility, first_name, last_name, group_id) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(enum_code(&member.name.civility)?)
                .bind(member.name.first_name.clone())
                .bind(member.name.last_name.clone())
                .bind(member.group.map(Id::get)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), member.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::MEMBER,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn update_member(
        &mut self,
        id: Id<Member>,
        member: &Member,
    ) -> Result<(), StoreError> {
        let before = self.member(id).await?;
        sqlx::query(
            "UPDATE member SET civility = $1, first_name = $2, last_name = $3, group_id = $4 WHERE id = $5",
        )
        .bind(enum_code(&member.name.civility)?)
        .bind(member.name.first_name.clone())
        .bind(member.name.last_name.clone())
        .bind(member.group.map(Id::get))
        .bind(id.get())
        .execute(self.conn())
        .await?;
        let after = Stored::new(id, member.clone());
        self.record(
            action::UPDATE,
            entity::MEMBER,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    pub async fn members(&mut self) -> Result<Vec<Stored<Member>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM member ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(member_from_row).collect()
    }

    pub async fn member(&mut self, id: Id<Member>) -> Result<Option<Stored<Member>>, StoreError> {
        let row = sqlx::query("SELECT * FROM member WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(member_from_row).transpose()
    }

    pub async fn insert_mandate(&mut self, mandate: &Mandate) -> Result<Id<Mandate>, StoreError> {
        let (role, rank) = match mandate.role {
            Role::President => ("president", None),
            Role::VicePresident { rank } => ("vice_president", rank.map(i64::from)),
            Role::Member => ("member", None),
        };
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO mandate (member_id, body_id, role, vp_rank, voting, start_date, end_date) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(mandate.member.get())
                .bind(mandate.body.get())
                .bind(role)
                .bind(rank)
                .bind(bool_int(mandate.voting))
                .bind(mandate.start.map(|d| d.to_string()))
                .bind(mandate.end.map(|d| d.to_string())),
            )
            .await?;
        let stored = Stored::new(Id::new(id), mandate.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::MANDATE,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    /// Mandates in a body, all periods.
    pub async fn mandates_in(
        &mut self,
        body: Id<Body>,
    ) -> Result<Vec<Stored<Mandate>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM mandate WHERE body_id = $1 ORDER BY id")
            .bind(body.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(mandate_from_row).collect()
    }

    pub async fn mandates_of(
        &mut self,
        member: Id<Member>,
    ) -> Result<Vec<Stored<Mandate>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM mandate WHERE member_id = $1 ORDER BY id")
            .bind(member.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(mandate_from_row).collect()
    }

    pub async fn insert_service(&mut self, service: &Service) -> Result<Id<Service>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO service (kind, name, parent_id) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(enum_code(&service.kind)?)
                .bind(service.name.clone())
                .bind(service.parent.map(Id::get)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), service.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::SERVICE,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn service(
        &mut self,
        id: Id<Service>,
    ) -> Result<Option<Stored<Service>>, StoreError> {
        let row = sqlx::query("SELECT * FROM service WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(service_from_row).transpose()
    }

    pub async fn services(&mut self) -> Result<Vec<Stored<Service>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM service ORDER BY id")
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(service_from_row).collect()
    }
}
