//! Admission rules of the mechanism's sensors, of observations and of restrictions on
//! the monitors.
//!
//! Monitors register sensors; monitors and their field devices record a sensor going up or
//! down. Monitors, devices and a party's liaison record observations: the signer's
//! delegation says whose counts they are, so a party's own counts stand beside the
//! mechanism's and are never taken for them.

use super::records::{Record, RecordKind};
use super::{Effect, LogState, not_after_signing};
use crate::envelope::Envelope;
use crate::keys::KeyRecord;
use crate::keys::Role;
use crate::kinds;
use crate::mechanism::{
    CasualtiesReconciled, Observation, ReportVerified, RestrictionRecorded, SensorId,
    SensorRegistered, SensorStatus,
};
use crate::rejection::{Rejection, RejectionCode, reject};
use crate::signers::require_signer;

impl LogState {
    pub(super) fn admit_sensor(
        &self,
        author: &KeyRecord,
        sensor: &SensorRegistered,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::SENSOR_REGISTERED)?;
        if let Some(at) = self.sensors.get(&sensor.id) {
            let reason = format!(
                "entry {at} registered the sensor {}; an id is never reused",
                sensor.id
            );
            return reject(RejectionCode::Conflict, "payload.id", reason);
        }
        let record = Record::Sensor {
            id: sensor.id.clone(),
        };
        Ok(Effect::Records(vec![(None, record)]))
    }

    pub(super) fn admit_sensor_status(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        status: &SensorStatus,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::SENSOR_STATUS)?;
        self.require_sensor(&status.sensor, "payload.sensor")?;
        not_after_signing(&status.since, envelope, "payload.since")?;
        Ok(Effect::Record)
    }

    pub(super) fn admit_observation(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        seen: &Observation,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::OBSERVATION_RECORDED)?;
        not_after_signing(&seen.end, envelope, "payload.end")?;
        if let Some(sensor) = &seen.sensor {
            self.require_sensor(sensor, "payload.sensor")?;
        }
        for (i, line) in seen.counts.iter().enumerate() {
            if let Some(side) = &line.from_side {
                self.require_party(side, &format!("payload.counts[{i}].from_side"))?;
            }
        }
        for (i, at) in seen.reports.iter().enumerate() {
            self.record_of(*at, RecordKind::Report, &format!("payload.reports[{i}]"))?;
        }
        for (i, at) in seen.incidents.iter().enumerate() {
            self.record_of(
                *at,
                RecordKind::Incident,
                &format!("payload.incidents[{i}]"),
            )?;
        }
        Ok(Effect::Record)
    }

    /// A restriction on the monitors: by a party that controlled the place, dated no later
    /// than the entry. A party's liaison may report the other side's restrictions, never
    /// one against its own delegation (nobody files a complaint against itself to be
    /// counted as the complainant's breach).
    pub(super) fn admit_restriction(
        &self,
        author: &KeyRecord,
        envelope: &Envelope,
        restriction: &RestrictionRecorded,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::RESTRICTION_RECORDED)?;
        self.require_party(&restriction.controlled_by, "payload.controlled_by")?;
        if author.role == Role::Liaison && author.delegation == restriction.controlled_by {
            let reason = format!(
                "{} speaks for {}: a party's liaison records the other side's restrictions, not its own",
                author.name, author.delegation
            );
            return reject(RejectionCode::Unauthorized, "payload.controlled_by", reason);
        }
        not_after_signing(&restriction.at, envelope, "payload.at")?;
        if let Some(at) = restriction.investigation {
            self.record_of(at, RecordKind::Investigation, "payload.investigation")?;
        }
        if let Some(provision) = &restriction.provision
            && !self
                .genesis_ref()
                .provisions
                .iter()
                .any(|p| &p.id == provision)
        {
            let reason = format!("the agreement has no provision {provision:?}");
            return reject(RejectionCode::Invalid, "payload.provision", reason);
        }
        Ok(Effect::Record)
    }

    /// A verification names a report, and reports corroborating it, that exist.
    pub(super) fn admit_verification(
        &self,
        author: &KeyRecord,
        verified: &ReportVerified,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::REPORT_VERIFIED)?;
        self.record_of(verified.report, RecordKind::Report, "payload.report")?;
        for (i, at) in verified.corroborating.iter().enumerate() {
            self.record_of(
                *at,
                RecordKind::Report,
                &format!("payload.corroborating[{i}]"),
            )?;
        }
        Ok(Effect::Record)
    }

    pub(super) fn admit_reconciliation(
        &self,
        author: &KeyRecord,
        reconciled: &CasualtiesReconciled,
    ) -> Result<Effect, Rejection> {
        require_signer(author, kinds::CASUALTIES_RECONCILED)?;
        self.record_of(
            reconciled.incident,
            RecordKind::Incident,
            "payload.incident",
        )?;
        Ok(Effect::Record)
    }

    fn require_sensor(&self, id: &SensorId, field: &str) -> Result<(), Rejection> {
        if self.sensors.contains_key(id) {
            return Ok(());
        }
        let reason = format!("no sensor {id} is registered (sensor.registered)");
        reject(RejectionCode::Invalid, field, reason)
    }
}
