//! The satisfaction pages' writes: every change goes to IndexedDB first (through the
//! public [`crate::store::Db`] API) and reaches the signals only after it was stored, as
//! the actions of [`crate::state`] do.

use crate::state::{db, AppState};
use crate::store::StoreError;
use clientscope_core::model::{Dataset, Survey, SurveyResponse};
use leptos::prelude::*;
use std::sync::Arc;

thread_local! {
    /// Surveys whose latest edit is still being written: (edit number, survey). Edits made
    /// in quick succession build on these, not on the stored version, so a second edit
    /// cannot overwrite the first while its write is in flight.
    static PENDING: std::cell::RefCell<(u64, std::collections::HashMap<String, (u64, Survey)>)> =
        std::cell::RefCell::new((0, std::collections::HashMap::new()));
}

/// The survey `id` as last edited: the pending edit if a write is in flight, else the
/// stored one.
pub fn current_survey(app: AppState, id: &str) -> Option<Survey> {
    PENDING
        .with(|p| p.borrow().1.get(id).map(|(_, s)| s.clone()))
        .or_else(|| app.data.surveys.with_untracked(|v| v.iter().find(|s| s.id == id).cloned()))
}

/// Inserts or replaces a survey (stamping `updated_at`).
pub async fn save_survey(app: AppState, mut s: Survey) -> Result<(), StoreError> {
    s.updated_at = chrono::Utc::now();
    let id = s.id.clone();
    let seq = PENDING.with(|p| {
        let mut p = p.borrow_mut();
        p.0 += 1;
        let seq = p.0;
        p.1.insert(id.clone(), (seq, s.clone()));
        seq
    });
    let written = async { db()?.put(&s).await }.await;
    // The newest edit stays pending until its own write ends.
    PENDING.with(|p| {
        let mut p = p.borrow_mut();
        if p.1.get(&id).is_some_and(|(n, _)| *n == seq) {
            p.1.remove(&id);
        }
    });
    written?;
    app.data.surveys.update(|v| {
        let v = Arc::make_mut(v);
        match v.iter_mut().find(|x| x.id == s.id) {
            Some(slot) => *slot = s,
            None => v.push(s),
        }
    });
    // Setting the flag re-renders the routed page, so only when it changes.
    if !app.ui.with_untracked(|u| u.started) {
        app.update_ui(|u| u.started = true);
    }
    Ok(())
}

/// Inserts or replaces one response (called on every answer, so a closed tab loses
/// nothing).
pub async fn save_response(app: AppState, mut r: SurveyResponse) -> Result<(), StoreError> {
    r.updated_at = chrono::Utc::now();
    db()?.put(&r).await?;
    app.data.responses.update(|v| {
        let v = Arc::make_mut(v);
        match v.iter_mut().find(|x| x.id == r.id) {
            Some(slot) => *slot = r,
            None => v.push(r),
        }
    });
    Ok(())
}

/// Deletes a survey with all its responses in one transaction.
pub async fn delete_survey(app: AppState, id: &str) -> Result<(), StoreError> {
    let survey: Vec<Survey> = app.data.surveys.with_untracked(|v| v.iter().filter(|s| s.id == id).cloned().collect());
    let responses: Vec<SurveyResponse> =
        app.data.responses.with_untracked(|v| v.iter().filter(|r| r.survey_id == id).cloned().collect());
    let d = Dataset { surveys: survey, responses, ..Dataset::default() };
    db()?.delete(&d, crate::store::db::LineWrite::Keep).await?;
    app.data.surveys.update(|v| Arc::make_mut(v).retain(|s| s.id != id));
    app.data.responses.update(|v| Arc::make_mut(v).retain(|r| r.survey_id != id));
    Ok(())
}

/// Deletes one response.
pub async fn delete_response(app: AppState, id: &str) -> Result<(), StoreError> {
    let responses: Vec<SurveyResponse> = app.data.responses.with_untracked(|v| v.iter().filter(|r| r.id == id).cloned().collect());
    db()?.delete(&Dataset { responses, ..Dataset::default() }, crate::store::db::LineWrite::Keep).await?;
    app.data.responses.update(|v| Arc::make_mut(v).retain(|r| r.id != id));
    Ok(())
}

/// A new id with `prefix` not used by any record of the kind: prefix + time-based suffix
/// (milliseconds in base 36) so that two devices rarely collide either.
pub fn new_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    let ms = chrono::Utc::now().timestamp_millis().max(0) as u64;
    let mut k = ms;
    loop {
        let id = format!("{prefix}{}", base36(k));
        if !taken(&id) {
            return id;
        }
        k += 1;
    }
}

fn base36(mut v: u64) -> String {
    const D: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut s = Vec::new();
    loop {
        s.push(D[(v % 36) as usize]);
        v /= 36;
        if v == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}
