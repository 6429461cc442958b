//! The service half of the product (SPEC §6): clocks that run on working time, and the
//! complaint workflow that uses them.
//!
//! - [`calendar`] is the working calendar: a time zone, working hours per weekday, public
//!   holidays and make-up working days (调休上班), with the official mainland-China schedule
//!   built in. It answers "how many working hours lie between two instants" and "when have
//!   H working hours elapsed". Every clock of the service half goes through it; nothing
//!   else in the core does time-of-day arithmetic.
//! - [`complaints`] derives a complaint's state and clocks from its append-only event
//!   history (the state machine), applies the SLA policy per severity in business hours,
//!   analyses all complaints as of an instant, reads and writes the audit-trail CSV, and
//!   turns poor survey answers into complaint drafts.
//!
//! Both take validated inputs only: a [`calendar::WorkCalendar`] is made by
//! [`calendar::CalendarParams::check`], a [`complaints::SlaPolicy`] is checked when read.

pub mod calendar;
pub mod complaints;
pub mod visits;
