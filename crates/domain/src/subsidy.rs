//! A subsidy as the SCDL "subventions" schema describes it (décret 2017-779): one row of a
//! subsidies file, whoever published it. acta reads other collectivities' files into this
//! record and keeps them in the same shape. Real files leave cells empty or damaged: what
//! identifies the grant (who gives, who receives, how much, when) is always there; the
//! other fields are kept when they could be read.

use crate::Amount;
use crate::identifiers::{Rna, Siret};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One subsidy, with the SCDL's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubsidyRecord {
    /// nomAttribuant (empty when only the SIRET names the grantor).
    pub grantor_name: String,
    /// idAttribuant (absent when the cell was empty or damaged).
    pub grantor_siret: Option<Siret>,
    /// dateConvention.
    pub convention_date: Date,
    /// referenceDecision.
    pub decision_reference: Option<String>,
    /// nomBeneficiaire (empty when only an identifier names the beneficiary).
    pub beneficiary_name: String,
    /// idBeneficiaire.
    pub beneficiary_siret: Option<Siret>,
    /// rnaBeneficiaire.
    pub beneficiary_rna: Option<Rna>,
    /// objet.
    pub object: String,
    /// montant.
    pub amount: Amount,
    /// nature ("aide en numéraire", "aide en nature" or both separated by ";").
    pub nature: Option<String>,
    /// conditionsVersement.
    pub payment_terms: Option<String>,
    /// datesPeriodeVersement: "AAAA-MM-JJ" or "AAAA-MM-JJ/AAAA-MM-JJ".
    pub payment_period: Option<String>,
    /// idRAE.
    pub rae_id: Option<String>,
    /// notificationUE.
    pub eu_notified: Option<bool>,
    /// pourcentageSubvention, 10 000 for 100 %.
    pub share_basis_points: Option<u32>,
    /// dispositifAide.
    pub scheme: Option<String>,
}
