//! Quick diagnostics from a ticket (staff only): a DNS lookup or a Whois query of a domain.

use serde::{Deserialize, Serialize};
#[cfg(feature = "ssr")]
use utoipa::ToSchema;

/// A kind of DNS record a lookup asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum DnsRecord {
    A,
    Aaaa,
    Mx,
    Ns,
    Txt,
    Cname,
}

impl DnsRecord {
    /// The kinds offered, in order.
    pub const OFFERED: [DnsRecord; 5] = [
        DnsRecord::A,
        DnsRecord::Aaaa,
        DnsRecord::Mx,
        DnsRecord::Ns,
        DnsRecord::Txt,
    ];

    /// Its name: `A`, `AAAA`, `MX`…
    pub fn as_str(self) -> &'static str {
        match self {
            DnsRecord::A => "A",
            DnsRecord::Aaaa => "AAAA",
            DnsRecord::Mx => "MX",
            DnsRecord::Ns => "NS",
            DnsRecord::Txt => "TXT",
            DnsRecord::Cname => "CNAME",
        }
    }

    /// Reads its name.
    pub fn parse(raw: &str) -> Option<DnsRecord> {
        [DnsRecord::Cname]
            .into_iter()
            .chain(DnsRecord::OFFERED)
            .find(|r| r.as_str().eq_ignore_ascii_case(raw))
    }

    /// Its number on the wire.
    pub fn code(self) -> u16 {
        match self {
            DnsRecord::A => 1,
            DnsRecord::Ns => 2,
            DnsRecord::Cname => 5,
            DnsRecord::Mx => 15,
            DnsRecord::Txt => 16,
            DnsRecord::Aaaa => 28,
        }
    }

    /// The kind of a number on the wire, when it is one of these.
    pub fn from_code(code: u16) -> Option<DnsRecord> {
        [DnsRecord::Cname]
            .into_iter()
            .chain(DnsRecord::OFFERED)
            .find(|r| r.code() == code)
    }
}

/// Which diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisKind {
    Dns,
    Whois,
}

/// `POST /api/tickets/{id}/diagnostics` (and the `diagnose` command): what to look up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct DiagnosisRequest {
    pub kind: DiagnosisKind,
    /// A domain name (`shop.example`).
    pub domain: String,
    /// For a DNS lookup; `A` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<DnsRecord>,
}

/// What a diagnostic found: the answer as text, or (`failed`) why there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Diagnosis {
    pub kind: DiagnosisKind,
    pub domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<DnsRecord>,
    /// Whom it was asked of: the resolver's address, the Whois servers.
    pub server: String,
    pub output: String,
    pub failed: bool,
    pub took_ms: i64,
}

impl Diagnosis {
    /// What was asked, as a person would write it: `DNS MX shop.example`, `Whois shop.example`.
    pub fn question(&self) -> String {
        match self.record {
            Some(record) => format!("DNS {} {}", record.as_str(), self.domain),
            None => format!("Whois {}", self.domain),
        }
    }
}
