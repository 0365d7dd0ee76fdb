//! Sittings, attendance, proxies, agenda items and reports.

use super::{action, entity};
use crate::codec::*;
use crate::{StoreError, Tx};
use acta_domain::collectivity::Body;
use acta_domain::people::Member;
use acta_domain::report::{CommissionOpinion, Report};
use acta_domain::sitting::{AgendaItem, Attendance, AttendanceStatus, Movement, Proxy, Sitting};
use acta_domain::{Id, Stored};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::any::AnyRow;

/// A sitting in a list: enough to choose one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SittingSummary {
    pub id: Id<Sitting>,
    pub body: Id<Body>,
    pub date: Date,
    pub items: i64,
}

fn sitting_from_row(row: &AnyRow) -> Result<Stored<Sitting>, StoreError> {
    Ok(Stored::new(
        id(row, "id")?,
        Sitting {
            body: id(row, "body_id")?,
            date: date(row, "date")?,
            time: opt_time(row, "time")?,
            place: get(row, "place")?,
            president: opt_id(row, "president_id")?,
            secretary: opt_id(row, "secretary_id")?,
            reconvenes: opt_id(row, "reconvenes_id")?,
        },
    ))
}

fn report_from_row(row: &AnyRow) -> Result<Stored<Report>, StoreError> {
    let opinion = match opt_id::<Body>(row, "opinion_commission_id")? {
        Some(commission) => Some(CommissionOpinion {
            commission,
            opinion: enum_from(row, "opinion")?,
            date: date(row, "opinion_date")?,
        }),
        None => None,
    };
    Ok(Stored::new(
        id(row, "id")?,
        Report {
            sitting: id(row, "sitting_id")?,
            number: u32_col(row, "number")?,
            title: get(row, "title")?,
            pole: opt_id(row, "pole_id")?,
            direction: opt_id(row, "direction_id")?,
            scope: json(row, "scope_json")?,
            sections: json(row, "sections_json")?,
            conclusion: json(row, "conclusion_json")?,
            commission_opinion: opinion,
            signatory: opt_json(row, "signatory_json")?,
        },
    ))
}

fn agenda_item_from_row(r: &AnyRow) -> Result<Stored<AgendaItem>, StoreError> {
    Ok(Stored::new(
        id(r, "id")?,
        AgendaItem {
            sitting: id(r, "sitting_id")?,
            position: u32_col(r, "position")?,
            report: id(r, "report_id")?,
            kind: enum_from(r, "kind")?,
            majority: json(r, "majority_json")?,
        },
    ))
}

impl Tx {
    pub async fn insert_sitting(&mut self, s: &Sitting) -> Result<Id<Sitting>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO sitting (body_id, date, time, place, president_id, secretary_id, reconvenes_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(s.body.get())
                .bind(s.date.to_string())
                .bind(s.time.map(|t| t.to_string()))
                .bind(s.place.clone())
                .bind(s.president.map(Id::get))
                .bind(s.secretary.map(Id::get))
                .bind(s.reconvenes.map(Id::get)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), s.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::SITTING,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn update_sitting(&mut self, id: Id<Sitting>, s: &Sitting) -> Result<(), StoreError> {
        let before = self.sitting(id).await?;
        sqlx::query(
            "UPDATE sitting SET body_id = $1, date = $2, time = $3, place = $4, president_id = $5, \
             secretary_id = $6, reconvenes_id = $7 WHERE id = $8",
        )
        .bind(s.body.get())
        .bind(s.date.to_string())
        .bind(s.time.map(|t| t.to_string()))
        .bind(s.place.clone())
        .bind(s.president.map(Id::get))
        .bind(s.secretary.map(Id::get))
        .bind(s.reconvenes.map(Id::get))
        .bind(id.get())
        .execute(self.conn())
        .await?;
        let after = Stored::new(id, s.clone());
        self.record(
            action::UPDATE,
            entity::SITTING,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    pub async fn sitting(
        &mut self,
        id: Id<Sitting>,
    ) -> Result<Option<Stored<Sitting>>, StoreError> {
        let row = sqlx::query("SELECT * FROM sitting WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(sitting_from_row).transpose()
    }

    /// Sittings on a date, whatever the body.
    pub async fn sittings_on(&mut self, date: Date) -> Result<Vec<Stored<Sitting>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM sitting WHERE date = $1 ORDER BY id")
            .bind(date.to_string())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(sitting_from_row).collect()
    }

    pub async fn sittings(&mut self) -> Result<Vec<SittingSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.id, s.body_id, s.date, CAST(COUNT(a.id) AS BIGINT) AS items \
             FROM sitting s LEFT JOIN agenda_item a ON a.sitting_id = s.id \
             GROUP BY s.id, s.body_id, s.date ORDER BY s.date, s.id",
        )
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SittingSummary {
                    id: id(row, "id")?,
                    body: id(row, "body_id")?,
                    date: date(row, "date")?,
                    items: get(row, "items")?,
                })
            })
            .collect()
    }

    /// Records (or replaces) a member's attendance at a sitting.
    pub async fn set_attendance(&mut self, a: &Attendance) -> Result<(), StoreError> {
        let before = self.attendance_of(a.sitting, a.member).await?;
        sqlx::query(
            "INSERT INTO attendance (sitting_id, member_id, status) VALUES ($1, $2, $3) \
             ON CONFLICT (sitting_id, member_id) DO UPDATE SET status = $3",
        )
        .bind(a.sitting.get())
        .bind(a.member.get())
        .bind(a.status.code())
        .execute(self.conn())
        .await?;
        let key = format!("{}/{}", a.sitting, a.member);
        let act = if before.is_some() {
            action::UPDATE
        } else {
            action::CREATE
        };
        self.record(act, entity::ATTENDANCE, &key, before.as_ref(), Some(a))
            .await
    }

    pub async fn attendance_of(
        &mut self,
        sitting: Id<Sitting>,
        member: Id<Member>,
    ) -> Result<Option<Attendance>, StoreError> {
        let row =
            sqlx::query("SELECT status FROM attendance WHERE sitting_id = $1 AND member_id = $2")
                .bind(sitting.get())
                .bind(member.get())
                .fetch_optional(self.conn())
                .await?;
        row.map(|r| {
            Ok(Attendance {
                sitting,
                member,
                status: code(&r, "status", AttendanceStatus::from_code)?,
            })
        })
        .transpose()
    }

    /// Everyone's attendance at a sitting, in the order members were recorded.
    pub async fn attendance(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Vec<Attendance>, StoreError> {
        let rows = sqlx::query(
            "SELECT member_id, status FROM attendance WHERE sitting_id = $1 ORDER BY member_id",
        )
        .bind(sitting.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Attendance {
                    sitting,
                    member: id(r, "member_id")?,
                    status: code(r, "status", AttendanceStatus::from_code)?,
                })
            })
            .collect()
    }

    pub async fn insert_proxy(&mut self, p: &Proxy) -> Result<Id<Proxy>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO proxy (sitting_id, giver_id, holder_id, from_position) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(p.sitting.get())
                .bind(p.giver.get())
                .bind(p.holder.get())
                .bind(i64::from(p.from_position)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), p.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::PROXY,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn proxies(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Vec<Stored<Proxy>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM proxy WHERE sitting_id = $1 ORDER BY id")
            .bind(sitting.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Stored::new(
                    id(r, "id")?,
                    Proxy {
                        sitting: id(r, "sitting_id")?,
                        giver: id(r, "giver_id")?,
                        holder: id(r, "holder_id")?,
                        from_position: u32_col(r, "from_position")?,
                    },
                ))
            })
            .collect()
    }

    pub async fn insert_report(&mut self, r: &Report) -> Result<Id<Report>, StoreError> {
        let opinion = r.commission_opinion.as_ref();
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO report (sitting_id, number, title, pole_id, direction_id, scope_json, sections_json, \
                     conclusion_json, opinion_commission_id, opinion, opinion_date, signatory_json) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                )
                .bind(r.sitting.get())
                .bind(i64::from(r.number))
                .bind(r.title.clone())
                .bind(r.pole.map(Id::get))
                .bind(r.direction.map(Id::get))
                .bind(to_json(&r.scope)?)
                .bind(to_json(&r.sections)?)
                .bind(to_json(&r.conclusion)?)
                .bind(opinion.map(|o| o.commission.get()))
                .bind(opinion.map(|o| enum_code(&o.opinion)).transpose()?)
                .bind(opinion.map(|o| o.date.to_string()))
                .bind(r.signatory.as_ref().map(to_json).transpose()?),
            )
            .await?;
        let stored = Stored::new(Id::new(id), r.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::REPORT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    /// Replaces a report's content (title, services, sections, conclusion, opinion,
    /// signatory); its sitting and number stay.
    pub async fn update_report(&mut self, id: Id<Report>, r: &Report) -> Result<(), StoreError> {
        let before = self.report(id).await?;
        let opinion = r.commission_opinion.as_ref();
        sqlx::query(
            "UPDATE report SET title = $1, pole_id = $2, direction_id = $3, scope_json = $4, sections_json = $5, \
             conclusion_json = $6, opinion_commission_id = $7, opinion = $8, opinion_date = $9, signatory_json = $10 \
             WHERE id = $11",
        )
        .bind(r.title.clone())
        .bind(r.pole.map(Id::get))
        .bind(r.direction.map(Id::get))
        .bind(to_json(&r.scope)?)
        .bind(to_json(&r.sections)?)
        .bind(to_json(&r.conclusion)?)
        .bind(opinion.map(|o| o.commission.get()))
        .bind(opinion.map(|o| enum_code(&o.opinion)).transpose()?)
        .bind(opinion.map(|o| o.date.to_string()))
        .bind(r.signatory.as_ref().map(to_json).transpose()?)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        let after = Stored::new(id, r.clone());
        self.record(
            action::UPDATE,
            entity::REPORT,
            &id.to_string(),
            before.as_ref(),
            Some(&after),
        )
        .await
    }

    pub async fn report(&mut self, id: Id<Report>) -> Result<Option<Stored<Report>>, StoreError> {
        let row = sqlx::query("SELECT * FROM report WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(report_from_row).transpose()
    }

    pub async fn reports_of(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Vec<Stored<Report>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM report WHERE sitting_id = $1 ORDER BY number")
            .bind(sitting.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(report_from_row).collect()
    }

    pub async fn insert_agenda_item(
        &mut self,
        item: &AgendaItem,
    ) -> Result<Id<AgendaItem>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO agenda_item (sitting_id, position, report_id, kind, majority_json) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING id",
                )
                .bind(item.sitting.get())
                .bind(i64::from(item.position))
                .bind(item.report.get())
                .bind(enum_code(&item.kind)?)
                .bind(to_json(&item.majority)?),
            )
            .await?;
        let stored = Stored::new(Id::new(id), item.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::AGENDA_ITEM,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn agenda(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Vec<Stored<AgendaItem>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM agenda_item WHERE sitting_id = $1 ORDER BY position")
            .bind(sitting.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(agenda_item_from_row).collect()
    }

    pub async fn agenda_item_of_report(
        &mut self,
        report: Id<Report>,
    ) -> Result<Option<Stored<AgendaItem>>, StoreError> {
        let row = sqlx::query("SELECT * FROM agenda_item WHERE report_id = $1")
            .bind(report.get())
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(agenda_item_from_row).transpose()
    }

    pub async fn agenda_item_at(
        &mut self,
        sitting: Id<Sitting>,
        position: u32,
    ) -> Result<Option<Stored<AgendaItem>>, StoreError> {
        let row = sqlx::query("SELECT * FROM agenda_item WHERE sitting_id = $1 AND position = $2")
            .bind(sitting.get())
            .bind(i64::from(position))
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(agenda_item_from_row).transpose()
    }

    pub async fn insert_movement(&mut self, m: &Movement) -> Result<Id<Movement>, StoreError> {
        let id = self
            .insert_returning_id(
                sqlx::query(
                    "INSERT INTO movement (sitting_id, member_id, kind, from_position) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(m.sitting.get())
                .bind(m.member.get())
                .bind(enum_code(&m.kind)?)
                .bind(i64::from(m.from_position)),
            )
            .await?;
        let stored = Stored::new(Id::new(id), m.clone());
        self.record::<(), _>(
            action::CREATE,
            entity::MOVEMENT,
            &id.to_string(),
            None,
            Some(&stored),
        )
        .await?;
        Ok(Id::new(id))
    }

    pub async fn movements(
        &mut self,
        sitting: Id<Sitting>,
    ) -> Result<Vec<Stored<Movement>>, StoreError> {
        let rows = sqlx::query("SELECT * FROM movement WHERE sitting_id = $1 ORDER BY id")
            .bind(sitting.get())
            .fetch_all(self.conn())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Stored::new(
                    id(r, "id")?,
                    Movement {
                        sitting: id(r, "sitting_id")?,
                        member: id(r, "member_id")?,
                        kind: enum_from(r, "kind")?,
                        from_position: u32_col(r, "from_position")?,
                    },
                ))
            })
            .collect()
    }
}
