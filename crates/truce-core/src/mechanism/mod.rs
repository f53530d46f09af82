//! The mechanism's own records: what allegations, incidents, statements, investigations,
//! findings, measures, talks, the actor registry, the parties' designations and the border
//! crossings say, and the checks each makes on its own content.
//!
//! Checks that need the log's state (does the incident exist? has the reply deadline
//! passed?) live in [`crate::state`]; the types here only validate themselves.

pub mod actors;
pub mod agreement;
pub mod crossings;
pub mod evidence;
pub mod exchange;
pub mod finding;
pub mod incident;
pub mod investigation;
pub mod liaison;
pub mod observations;
pub mod publication;
pub mod report;
pub mod restrictions;
pub mod sensors;
pub mod talks;
pub mod testimony;
pub mod values;
pub mod verification;

pub use actors::{ActorId, ActorKind, ActorRegistered, ActorUpdated, Alias, DesignationFiled};
pub use agreement::AgreementAmended;
pub use crossings::{
    CrossingFlow, CrossingId, CrossingState, CrossingStatus, Direction, FlowCategory, FlowPrecision,
};
pub use evidence::{EvidenceAccessed, EvidencePublished};
pub use finding::{
    Attribution, Confidence, Determination, FindingFinalized, FindingProposed, FindingSigned, Vote,
};
pub use incident::{IncidentOpened, ReportLinked, Statement, StatementKind};
pub use investigation::{InvestigationOpened, InvestigationStep, StepKind};
pub use liaison::{
    Channel, ContactOutcome, LiaisonAcknowledged, LiaisonContact, LiaisonOutcome, NotifiedMovement,
};
pub use observations::{
    Distance, Observation, ObservedCount, ObservedKind, Perception, Platform, WeaponClass,
};
pub use publication::{ReportFormat, ReportPeriod, ReportPublished};
pub use report::{Provenance, Report};
pub use restrictions::{Movement, RestrictionKind, RestrictionRecorded};
pub use sensors::{SensorId, SensorKind, SensorRegistered, SensorState, SensorStatus};
pub use talks::{
    CommitmentMade, CommitmentStatus, CommitmentUpdated, MeasureStatus, MeasureUpdated, TalksRound,
};
pub use testimony::{
    Consent, CustodianRegistered, DestroyReason, SealedFile, Share, TestimonyDestroyed,
    TestimonyPolicy, TestimonyRecorded, UnsealApproved, UnsealRequested,
};
pub use verification::{CasualtiesReconciled, ReportVerified, VerificationStatus};
