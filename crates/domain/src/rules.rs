//! The assembly rules a Département applies. The defaults follow the CGCT as read in
//! shared/reference/standards.md §4; the points marked there as not verified are settings a
//! Département can change (stored in the database, journaled), not hard-coded law.

use crate::collectivity::BodyKind;
use crate::error::{DomainError, Errors, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssemblyRules {
    /// Conseil départemental: quorum counts members physically present only (L3121-14).
    pub council_quorum_counts_proxies: bool,
    /// Commission permanente: members present or represented (L3121-14-1).
    pub commission_quorum_counts_proxies: bool,
    /// A sitting reconvened at least this many days after one without quorum deliberates
    /// whatever the number present (L3121-14, "trois jours au moins").
    pub reconvene_min_days: i32,
    pub numbering: NumberingRules,
    /// Conseil départemental: clear days between sending the reports and the sitting
    /// ("douze jours au moins avant la séance", L3121-19).
    pub council_convocation_days: i32,
    /// Commission permanente: the delay its règlement intérieur sets, in clear days.
    pub commission_convocation_days: i32,
    /// In an emergency, the shortest delay still allowed ("un jour franc").
    pub emergency_convocation_days: i32,
    /// Reports are submitted to the assemblies service this many days before the sitting
    /// at the latest; a later one needs the emergency path.
    pub report_deadline_days: i32,
    /// Whether members who attend without a deliberative vote are convened too.
    pub convene_without_vote: bool,
}

impl Default for AssemblyRules {
    fn default() -> Self {
        AssemblyRules {
            council_quorum_counts_proxies: false,
            commission_quorum_counts_proxies: true,
            reconvene_min_days: 3,
            numbering: NumberingRules::default(),
            council_convocation_days: 12,
            commission_convocation_days: 7,
            emergency_convocation_days: 1,
            report_deadline_days: 21,
            convene_without_vote: false,
        }
    }
}

impl AssemblyRules {
    pub fn quorum_counts_proxies(&self, kind: BodyKind) -> bool {
        match kind {
            BodyKind::Council => self.council_quorum_counts_proxies,
            BodyKind::PermanentCommission | BodyKind::ThematicCommission => {
                self.commission_quorum_counts_proxies
            }
        }
    }

    /// The ordinary delay of convocation of a body, in clear days.
    pub fn convocation_days(&self, kind: BodyKind) -> i32 {
        match kind {
            BodyKind::Council => self.council_convocation_days,
            BodyKind::PermanentCommission | BodyKind::ThematicCommission => {
                self.commission_convocation_days
            }
        }
    }

    pub fn validate(&self) -> Result<(), DomainError> {
        let mut errors = Errors::new();
        if !(0..=60).contains(&self.reconvene_min_days) {
            errors.push(FieldError::new(
                "reconvene_min_days",
                "Délai de reconvocation : entre 0 et 60 jours.",
            ));
        }
        for (field, label, days) in [
            (
                "council_convocation_days",
                "Délai de convocation du Conseil départemental",
                self.council_convocation_days,
            ),
            (
                "commission_convocation_days",
                "Délai de convocation de la Commission permanente",
                self.commission_convocation_days,
            ),
            (
                "emergency_convocation_days",
                "Délai de convocation en urgence",
                self.emergency_convocation_days,
            ),
            (
                "report_deadline_days",
                "Date limite de dépôt des rapports",
                self.report_deadline_days,
            ),
        ] {
            if !(0..=90).contains(&days) {
                errors.push(FieldError::new(
                    field,
                    format!("{label} : entre 0 et 90 jours."),
                ));
            }
        }
        if self.council_convocation_days < 12 {
            errors.push(FieldError::new(
                "council_convocation_days",
                "Délai de convocation du Conseil départemental : douze jours au moins (article L3121-19 du CGCT).",
            ));
        }
        if let Err(DomainError::Invalid(list)) = self.numbering.validate() {
            for e in list {
                errors.push(e);
            }
        }
        errors.into_result()
    }
}

/// How deliberations are numbered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NumberingRules {
    /// Literal text with `{year}`, `{seq}` and `{body}`: "{year}-{seq}" gives "2023-479",
    /// "{body}-{year}-{seq}" gives "CP-2023-479".
    pub pattern: String,
    /// Zero-padding of `{seq}` (0: none; 4 gives "0479").
    pub min_digits: u32,
    /// One sequence per body and year (true; the pattern must then hold `{body}`), or one
    /// per year shared by all bodies (false, the default: numbers stay unique in the
    /// collectivity, as @ctes requires, with the plain "2023-479").
    pub per_body: bool,
    /// Whether an item the assembly only takes note of ("prend acte") gets a number.
    pub number_taken_note: bool,
}

impl Default for NumberingRules {
    fn default() -> Self {
        NumberingRules {
            pattern: "{year}-{seq}".to_string(),
            min_digits: 0,
            per_body: false,
            number_taken_note: true,
        }
    }
}

impl NumberingRules {
    pub fn validate(&self) -> Result<(), DomainError> {
        crate::numbering::check_pattern(self).map_err(DomainError::from)
    }
}
