//! Quick diagnostics from a ticket: a DNS lookup or a Whois query of a domain, for staff who
//! may see the ticket.

use std::time::{Duration, Instant};

use app::{
    i18n::{self, Lang},
    protocol::{Diagnosis, DiagnosisKind, DiagnosisRequest, DnsRecord, TicketId},
};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    diagnostics::{self, dns, whois},
    domain::{self, DomainName, Viewer},
};

impl Desk {
    /// Runs `request` for `viewer` from `ticket`; a lookup that fails is answered with why
    /// (`failed`), in `lang`. Members and staff who may not see the ticket are told it does
    /// not exist.
    #[instrument(skip_all, fields(user_id = %viewer.id, ticket_id = %ticket))]
    pub async fn diagnose(
        &self,
        viewer: &Viewer,
        ticket: TicketId,
        request: &DiagnosisRequest,
        lang: Lang,
    ) -> Result<Diagnosis> {
        let record = self.visible_ticket(viewer, ticket).await?;
        if !domain::may_diagnose(viewer, &record.scope) {
            return Err(domain::Error::TicketNotFound.into());
        }
        let name = DomainName::parse(&request.domain)?;
        let settings = &self.diagnostics;
        let timeout = Duration::from_secs(settings.timeout_secs.clamp(1, 30));
        // A few at a time: each holds a socket for up to the timeout.
        let _turn = self.lookups.acquire().await;
        let started = Instant::now();
        let (record, server, answer) = match request.kind {
            DiagnosisKind::Dns => {
                let wanted = request.record.unwrap_or(DnsRecord::A);
                match settings.resolver() {
                    Some(resolver) => (
                        Some(wanted),
                        resolver.to_string(),
                        dns::lookup(resolver, name.as_str(), wanted, timeout).await,
                    ),
                    None => (
                        Some(wanted),
                        String::new(),
                        Err(diagnostics::Error::Network("no resolver".into())),
                    ),
                }
            }
            DiagnosisKind::Whois => (
                None,
                settings.whois_server.clone(),
                whois::query(
                    &settings.whois_server,
                    settings.whois_port,
                    name.as_str(),
                    timeout,
                )
                .await,
            ),
        };
        let took_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let (output, failed) = match answer {
            Ok(output) => (output, false),
            Err(err) => {
                tracing::info!(error = %err, "a diagnostic found nothing");
                let seconds = i18n::FluentValue::from(timeout.as_secs());
                (i18n::text(lang, err.key(), &[("seconds", seconds)]), true)
            }
        };
        Ok(Diagnosis {
            kind: request.kind,
            domain: name.as_str().to_owned(),
            record,
            server,
            output,
            failed,
            took_ms,
        })
    }
}
