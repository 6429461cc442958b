//! Hash routing: the route lives after `#` in the URL (`#/customers/C000012`), so a static
//! host serves the same `index.html` for every view, reloads keep the view, and the app
//! works from any sub-path.

/// A view of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Overview dashboard (the default).
    Overview,
    /// Customer list.
    Customers,
    /// New-customer form.
    CustomerNew,
    /// One customer's page.
    Customer(String),
    /// Edit form of one customer.
    CustomerEdit(String),
    /// Customer value analyses.
    Value,
    /// Segmentation.
    Segments,
    /// Satisfaction: the list of surveys.
    Satisfaction,
    /// A view inside the satisfaction area: the path after `satisfaction/`, e.g.
    /// `S1/design`, `S1/entry`, `S1/analysis`, `S1/report` (parsed by the page).
    SatisfactionAt(String),
    /// Complaints.
    Complaints,
    /// Visits.
    Visits,
    /// Data and backup.
    Data,
    /// The import wizard (CSV / Excel).
    Import,
    /// Settings.
    Settings,
    /// Anything else.
    NotFound(String),
}

impl Route {
    /// Parses the fragment of the URL (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or("");
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] | ["overview"] => Route::Overview,
            ["customers"] => Route::Customers,
            ["customers", "new"] => Route::CustomerNew,
            ["customers", id] => Route::Customer(decode(id)),
            ["customers", id, "edit"] => Route::CustomerEdit(decode(id)),
            ["value"] => Route::Value,
            ["segments"] => Route::Segments,
            ["satisfaction"] => Route::Satisfaction,
            ["satisfaction", rest @ ..] => {
                Route::SatisfactionAt(rest.iter().map(|p| decode(p)).collect::<Vec<_>>().join("/"))
            }
            ["complaints"] => Route::Complaints,
            ["visits"] => Route::Visits,
            ["data"] => Route::Data,
            ["data", "import"] => Route::Import,
            ["settings"] => Route::Settings,
            _ => Route::NotFound(path.to_string()),
        }
    }

    /// The `href` of this route (`#/…`).
    pub fn href(&self) -> String {
        match self {
            Route::Overview => "#/overview".into(),
            Route::Customers => "#/customers".into(),
            Route::CustomerNew => "#/customers/new".into(),
            Route::Customer(id) => format!("#/customers/{}", encode(id)),
            Route::CustomerEdit(id) => format!("#/customers/{}/edit", encode(id)),
            Route::Value => "#/value".into(),
            Route::Segments => "#/segments".into(),
            Route::Satisfaction => "#/satisfaction".into(),
            Route::SatisfactionAt(rest) => {
                format!("#/satisfaction/{}", rest.split('/').map(encode).collect::<Vec<_>>().join("/"))
            }
            Route::Complaints => "#/complaints".into(),
            Route::Visits => "#/visits".into(),
            Route::Data => "#/data".into(),
            Route::Import => "#/data/import".into(),
            Route::Settings => "#/settings".into(),
            Route::NotFound(p) => format!("#/{p}"),
        }
    }

    /// The navigation entry this route belongs to (for highlighting the menu).
    pub fn section(&self) -> Route {
        match self {
            Route::CustomerNew | Route::Customer(_) | Route::CustomerEdit(_) => Route::Customers,
            Route::SatisfactionAt(_) => Route::Satisfaction,
            Route::Import => Route::Data,
            other => other.clone(),
        }
    }
}

/// Percent-encodes the characters that would break a path segment.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_round_trips_through_its_href() {
        let routes = [
            Route::Overview,
            Route::Customers,
            Route::CustomerNew,
            Route::Customer("C000012".into()),
            Route::Customer("客户/1 x".into()),
            Route::CustomerEdit("C9".into()),
            Route::Value,
            Route::Segments,
            Route::Satisfaction,
            Route::SatisfactionAt("S1/entry".into()),
            Route::SatisfactionAt("调查 1/analysis".into()),
            Route::Import,
            Route::Complaints,
            Route::Visits,
            Route::Data,
            Route::Settings,
        ];
        for r in routes {
            assert_eq!(Route::parse(&r.href()), r, "{}", r.href());
        }
    }

    #[test]
    fn empty_hash_is_the_overview_and_unknown_paths_are_not_found() {
        assert_eq!(Route::parse(""), Route::Overview);
        assert_eq!(Route::parse("#"), Route::Overview);
        assert_eq!(Route::parse("#/nope"), Route::NotFound("nope".into()));
    }
}
