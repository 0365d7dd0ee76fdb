//! Repository methods, one module per aggregate. Every mutation journals itself.

pub mod accounts;
pub mod applications;
pub mod archives;
pub mod budget_year;
pub mod conventions;
pub mod deliberations;
pub mod execution;
pub mod exports;
pub mod finance;
pub mod institution;
pub mod minutes;
pub mod preparation;
pub mod publications;
pub mod settings;
pub mod signatures;
pub mod sittings;
pub mod tenancy;
pub mod throttle;
pub mod transfers;
pub mod transmissions;
pub mod votes;

/// The French names under which entities appear in the journal.
pub mod entity {
    pub const COLLECTIVITY: &str = "collectivite";
    pub const COLLECTIVITY_HOST: &str = "collectivite_hote";
    pub const BODY: &str = "instance";
    pub const GROUP: &str = "groupe_politique";
    pub const MEMBER: &str = "elu";
    pub const MANDATE: &str = "mandat";
    pub const SERVICE: &str = "service";
    pub const SITTING: &str = "seance";
    pub const ATTENDANCE: &str = "presence";
    pub const PROXY: &str = "pouvoir";
    pub const MOVEMENT: &str = "mouvement";
    pub const VOTE: &str = "vote";
    pub const NUMBERING: &str = "numerotation";
    pub const SETTING: &str = "parametre";
    pub const BENEFICIARY_SEAT: &str = "siege_beneficiaire";
    pub const PAYMENT: &str = "versement";
    pub const DOCUMENT_RECEIPT: &str = "document_recu";
    pub const REIMBURSEMENT: &str = "decision_reversement";
    pub const AMENDMENT: &str = "avenant";
    pub const CONVENTION_VERSION: &str = "version_convention";
    pub const TRANSMISSION: &str = "transmission_prefecture";
    pub const EXTERNAL_SUBSIDY: &str = "subvention_externe";
    pub const REPORT: &str = "rapport";
    pub const AGENDA_ITEM: &str = "ordre_du_jour";
    pub const DELIBERATION: &str = "deliberation";
    pub const BUDGET_LINE: &str = "ligne_budgetaire";
    pub const COMMITMENT: &str = "engagement";
    pub const BENEFICIARY: &str = "beneficiaire";
    pub const BANK_ACCOUNT: &str = "compte_bancaire";
    pub const AWARD: &str = "attribution";
    pub const CONVENTION: &str = "convention";
    pub const ARCHIVED_ACT: &str = "acte_archive";
    pub const ACCOUNT: &str = "compte";
    pub const STORED_FILE: &str = "fichier";
    pub const SIGNER: &str = "signataire";
    pub const SIGNED_DOCUMENT: &str = "document_a_signer";
    pub const SIGNATURE: &str = "signature";
    pub const TDT_TRANSMISSION: &str = "teletransmission";
    pub const PREFECTURE_REPLY: &str = "courrier_prefecture";
    pub const LOGIN_FAILURE: &str = "echec_connexion";
    pub const PUBLICATION: &str = "publication";
    pub const NOTIFICATION: &str = "notification";
    pub const ARCHIVE_TRANSFER: &str = "versement_archives";
    pub const DISCUSSION: &str = "teneur_des_discussions";
    pub const MINUTES_APPROVAL: &str = "approbation_proces_verbal";
    pub const MINUTES_PUBLICATION: &str = "publication_proces_verbal";
    pub const MEMBER_EMAIL: &str = "courriel_elu";
    pub const ACCOUNT_MEMBER: &str = "compte_elu";
    pub const CIRCUIT: &str = "circuit_validation";
    pub const REPORT_DRAFT: &str = "projet_rapport";
    pub const REPORT_DRAFT_VERSION: &str = "version_projet_rapport";
    pub const REPORT_DRAFT_EVENT: &str = "etape_projet_rapport";
    pub const AGENDA_EMERGENCY: &str = "inscription_urgence";
    pub const AGENDA_POSTPONEMENT: &str = "report_seance";
    pub const CONVOCATION: &str = "convocation";
    pub const CONVOCATION_DELIVERY: &str = "envoi_convocation";
    pub const ATTENDANCE_REPLY: &str = "reponse_convocation";
    pub const ANNOTATION: &str = "annotation";
    pub const INTEREST: &str = "declaration_interet";
    pub const ACCOUNT_CONFIRMATION: &str = "confirmation_courriel";
    pub const ACCOUNT_SERVICE: &str = "compte_direction";
    pub const DISPOSITIF: &str = "dispositif";
    pub const APPLICATION: &str = "demande_subvention";
    pub const APPLICATION_PIECE: &str = "piece_demande";
    pub const PIECE_REQUEST: &str = "demande_piece";
    pub const APPLICATION_EVENT: &str = "etape_demande";
    pub const GRANT_SUBMISSION: &str = "piece_beneficiaire";
    pub const BUDGET_DECISION: &str = "decision_budgetaire";
    pub const DELEGATION: &str = "delegation_commission_permanente";
    pub const AUTHORISATION: &str = "autorisation_programme";
    pub const AWARD_SHARE: &str = "echeancier_aide";
}

/// The French names of journal actions.
pub mod action {
    pub const CREATE: &str = "creation";
    pub const UPDATE: &str = "modification";
    pub const DELETE: &str = "suppression";
}
