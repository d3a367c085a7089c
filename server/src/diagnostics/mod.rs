//! Quick diagnostics of a member's service: a DNS lookup and a Whois query of its domain, as
//! staff run them from a ticket.

pub mod dns;
pub mod whois;

use app::protocol::DnsRecord as Record;

/// Why a lookup gave no answer; worded for staff through the catalogues.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the server did not answer in time")]
    Silent,
    #[error("the server could not be reached: {0}")]
    Network(String),
    #[error("the answer could not be read")]
    Malformed,
    #[error("no such domain")]
    NoSuchDomain,
    #[error("the server refused (code {0})")]
    Refused(u16),
}

impl Error {
    fn network(err: std::io::Error) -> Error {
        Error::Network(err.kind().to_string())
    }

    /// The catalogue key saying what went wrong.
    pub fn key(&self) -> &'static str {
        match self {
            Error::Silent => "diagnostics-silent",
            Error::Network(_) => "diagnostics-unreachable",
            Error::Malformed => "diagnostics-malformed",
            Error::NoSuchDomain => "diagnostics-no-domain",
            Error::Refused(_) => "diagnostics-refused",
        }
    }
}
