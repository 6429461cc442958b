//! The encoding of a bucket of stored records (the app keeps each kind in IndexedDB as 512
//! buckets of records, see the app's `store::records`).
//!
//! Written as MessagePack with each record an array of its fields in declaration order
//! (`rmp_serde::to_vec`): no field names, so a bucket of customers is about a quarter of
//! its JSON and decodes about twice as fast (200,000 demo customers natively: 43 MB and
//! 0.48 s, against 159 MB and 0.92 s as JSON; start-up reads every customer). Complaints
//! stay JSON: their events are internally tagged and skip empty fields, which a
//! positional encoding cannot carry.
//!
//! Read: either encoding, told apart by the first byte. A JSON bucket (what version 3 of
//! the database wrote) starts with `[`, which in MessagePack is a small integer and never
//! an array; a MessagePack bucket starts with an array marker. A bucket written before is
//! read as it is and written compact the next time its records change.
//!
//! Positional means the order of a record's fields is part of the stored layout: a new
//! field goes at the end of its struct, with `#[serde(default)]` (a shorter stored array
//! then gives the default); fields are never reordered or removed. The test
//! `a_stored_customer_keeps_its_layout` holds the customer's layout to a fixed encoding.

use super::RecordKind;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Whether buckets of `kind` are written compact (MessagePack arrays) or as JSON.
pub fn compact(kind: RecordKind) -> bool {
    kind != RecordKind::Complaint
}

/// Encodes the records of one bucket of `kind`.
pub fn encode<T: Serialize + ?Sized>(kind: RecordKind, records: &T) -> Result<Vec<u8>, String> {
    if compact(kind) {
        rmp_serde::to_vec(records).map_err(|e| e.to_string())
    } else {
        serde_json::to_vec(records).map_err(|e| e.to_string())
    }
}

/// Decodes a bucket written by [`encode`] in either encoding.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    match bytes.first() {
        Some(b'[') | None => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
        Some(_) => rmp_serde::from_slice(bytes).map_err(|e| e.to_string()),
    }
}

/// A kind whose buckets the app reads: [`decode`] for its records, compiled here once per
/// kind. The core is built for speed (`opt-level = 3`) and the app for size; a generic
/// decode would be compiled into the app, at its level, and start-up spends most of its
/// time here.
pub trait Bucketed: Sized {
    /// The records of one bucket (either encoding).
    fn decode_bucket(bytes: &[u8]) -> Result<Vec<Self>, String>;
}

macro_rules! bucketed {
    ($($ty:ty),* $(,)?) => {
        $(impl Bucketed for $ty {
            fn decode_bucket(bytes: &[u8]) -> Result<Vec<Self>, String> {
                decode(bytes)
            }
        })*
    };
}

bucketed!(super::Customer, super::Contact, super::Interaction, super::Complaint, super::Survey, super::SurveyResponse);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoParams};
    use crate::model::{Complaint, Contact, Customer, Interaction, Survey, SurveyResponse};

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(kind: RecordKind, records: &[T]) {
        assert!(!records.is_empty(), "{kind:?}: the demo has some");
        for bucket in records.chunks(37) {
            let bytes = encode(kind, bucket).unwrap();
            assert_eq!(bytes[0] == b'[', !compact(kind), "{kind:?}: encoding");
            let back: Vec<T> = decode(&bytes).unwrap();
            assert_eq!(back, bucket, "{kind:?}");
            // A bucket written as JSON (database version 3) reads the same.
            let json = serde_json::to_vec(bucket).unwrap();
            assert_eq!(decode::<Vec<T>>(&json).unwrap(), bucket, "{kind:?} from JSON");
        }
    }

    /// Every kind round-trips through its bucket encoding, and JSON buckets still read:
    /// the whole demo data set (every field of every kind in use).
    #[test]
    fn every_kind_round_trips_and_json_buckets_still_read() {
        let d = generate(&DemoParams::default());
        round_trip::<Customer>(RecordKind::Customer, &d.customers);
        round_trip::<Contact>(RecordKind::Contact, &d.contacts);
        round_trip::<Interaction>(RecordKind::Interaction, &d.interactions);
        round_trip::<Complaint>(RecordKind::Complaint, &d.complaints);
        round_trip::<Survey>(RecordKind::Survey, &d.surveys);
        round_trip::<SurveyResponse>(RecordKind::SurveyResponse, &d.responses);
    }

    #[test]
    fn an_empty_bucket_reads_in_either_encoding() {
        let none: Vec<Customer> = Vec::new();
        assert_eq!(decode::<Vec<Customer>>(&encode(RecordKind::Customer, &none).unwrap()).unwrap(), none);
        assert_eq!(decode::<Vec<Customer>>(b"[]").unwrap(), none);
        assert!(decode::<Vec<Customer>>(b"").is_err(), "no bytes is not a bucket");
        assert!(decode::<Vec<Customer>>(&[0x91, 0xc1]).is_err(), "damaged bytes are refused");
    }

    /// The stored layout of a customer: this encoding was written by this version, so a
    /// later version must still read it the same (fields added at the end with defaults
    /// keep this test passing; a field moved or removed breaks it).
    #[test]
    fn a_stored_customer_keeps_its_layout() {
        let stored = hex(GOLDEN_CUSTOMER);
        let c: Vec<Customer> = decode(&stored).unwrap();
        let want: Customer = serde_json::from_str(GOLDEN_CUSTOMER_JSON).unwrap();
        assert_eq!(c, vec![want.clone()]);
        assert_eq!(encode(RecordKind::Customer, &[want]).unwrap(), stored, "the encoding changed: see the module's note");
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    const GOLDEN_CUSTOMER_JSON: &str = include_str!("bucket_golden_customer.json");
    /// `rmp_serde::to_vec(&[customer])` of the JSON beside it, as written by this version.
    const GOLDEN_CUSTOMER: &str = include_str!("bucket_golden_customer.hex");
}
