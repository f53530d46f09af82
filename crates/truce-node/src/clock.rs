//! The node's "now", for whatever the record leaves to the reader's clock: whether a
//! finding's reply window is still open, how long a crossing has been closed. In service it
//! is the system clock; a test can hold a clock of its own and move it, instead of
//! sleeping until the wall clock gets there.

use std::sync::{Arc, Mutex};

use time::{Duration, OffsetDateTime};

/// The system clock, or a time set and moved by hand.
#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<Mutex<OffsetDateTime>>>);

impl Clock {
    /// The system clock.
    #[must_use]
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that says `at` until moved.
    #[must_use]
    pub fn fixed(at: OffsetDateTime) -> Self {
        Self(Some(Arc::new(Mutex::new(at))))
    }

    #[must_use]
    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            Some(at) => *at.lock().expect("clock lock"),
            None => OffsetDateTime::now_utc(),
        }
    }

    /// Moves a fixed clock on by `by` (the system clock moves itself; nothing happens).
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.0 {
            *at.lock().expect("clock lock") += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_moves_only_when_told() {
        let start = OffsetDateTime::UNIX_EPOCH;
        let clock = Clock::fixed(start);
        assert_eq!(clock.now(), start);
        clock.clone().advance(Duration::hours(2));
        assert_eq!(clock.now(), start + Duration::hours(2));
    }

    #[test]
    fn the_system_clock_is_the_wall_clock() {
        let before = OffsetDateTime::now_utc();
        let now = Clock::system().now();
        assert!(now >= before && now <= OffsetDateTime::now_utc());
    }
}
