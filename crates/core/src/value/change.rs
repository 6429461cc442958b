//! How a customer's value changed from the previous period (SPEC §3; shown on each
//! customer's page): the same analysis is run a second time with the as-of date moved back
//! by one period ([`ValueParams::previous_period`]) and the two results are compared here.

use super::abc::AbcClass;
use super::grade::Grade;
use super::lifecycle::Stage;
use super::matrix::ValueQuadrant;
use super::report::{CustomerValue, ValueParams};
use serde::{Deserialize, Serialize};

impl ValueParams {
    /// The same parameters one period earlier. With an analysis period (`period_start`),
    /// the previous period is the equally long stretch of days that ends the day before it
    /// starts; without one, the as-of date moves back by the lifecycle trend window (365 days
    /// by default) and all history up to it is used.
    pub fn previous_period(&self) -> ValueParams {
        let mut p = self.clone();
        match self.period_start {
            Some(start) => {
                let days = (self.as_of - start).num_days().max(0) as u64 + 1;
                let as_of = start - chrono::Days::new(1);
                p.as_of = as_of;
                p.period_start = Some(as_of - chrono::Days::new(days - 1));
            }
            None => {
                p.as_of = self.as_of - chrono::Days::new(u64::from(self.lifecycle.trend_window_days.max(1)));
            }
        }
        p
    }
}

/// A number now and one period earlier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Delta {
    /// One period earlier (`None`: not known then).
    pub previous: Option<f64>,
    /// Now (`None`: not available, e.g. no model fit).
    pub current: Option<f64>,
}

impl Delta {
    /// `current − previous`, when both are known.
    pub fn change(&self) -> Option<f64> {
        Some(self.current? - self.previous?)
    }

    /// The relative change `(current − previous) / |previous|`, when both are known and the
    /// previous value is not 0.
    pub fn relative(&self) -> Option<f64> {
        let (p, c) = (self.previous?, self.current?);
        (p != 0.0).then(|| (c - p) / p.abs())
    }
}

/// A class now and one period earlier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift<T> {
    /// One period earlier (`None`: the customer was not in that analysis).
    pub previous: Option<T>,
    /// Now.
    pub current: T,
}

impl<T: PartialEq> Shift<T> {
    /// True when the previous value is known and differs.
    pub fn changed(&self) -> bool {
        self.previous.as_ref().is_some_and(|p| *p != self.current)
    }
}

/// One customer's value now against the previous period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerChange {
    /// The metric (revenue or profit) of the period.
    pub metric: Delta,
    /// ABC class.
    pub abc: Shift<AbcClass>,
    /// RFM score code (`None`: no purchase in the period).
    pub rfm_code: Shift<Option<String>>,
    /// Key-account grade.
    pub grade: Shift<Grade>,
    /// Lifecycle stage.
    pub stage: Shift<Stage>,
    /// Value-matrix quadrant.
    pub quadrant: Shift<ValueQuadrant>,
    /// P(alive).
    pub p_alive: Delta,
    /// Probabilistic CLV.
    pub clv: Delta,
}

/// Compares a customer's value now with the previous period's (`None` when the customer
/// was not in the previous analysis).
pub fn compare(current: &CustomerValue, previous: Option<&CustomerValue>) -> CustomerChange {
    CustomerChange {
        metric: Delta { previous: previous.map(|p| p.metric), current: Some(current.metric) },
        abc: Shift { previous: previous.map(|p| p.abc), current: current.abc },
        rfm_code: Shift {
            previous: previous.map(|p| p.rfm.as_ref().map(|r| r.code.clone())),
            current: current.rfm.as_ref().map(|r| r.code.clone()),
        },
        grade: Shift { previous: previous.map(|p| p.grade), current: current.grade },
        stage: Shift { previous: previous.map(|p| p.stage), current: current.stage },
        quadrant: Shift { previous: previous.map(|p| p.value_quadrant), current: current.value_quadrant },
        p_alive: Delta { previous: previous.and_then(|p| p.p_alive), current: current.p_alive },
        clv: Delta { previous: previous.and_then(|p| p.clv), current: current.clv },
    }
}
