//! Commands in: each frame read (see `reader`), handed to its use case, and answered.

use app::protocol::{Command, CommandId, ErrorCode, Event};

use crate::service;

use super::{Conn, Sent, reader};

impl Conn {
    pub(super) async fn on_text(&mut self, text: &str) -> Sent {
        let read = reader::read(text);
        // Every frame costs a token of this socket's budget and of its person's; past them,
        // a `rate_limited` error with the wait, and the socket stays open.
        if let Err(err) = self
            .state
            .desk
            .socket_may_act(&mut self.rate, self.viewer.id)
        {
            let command_id = match &read {
                Ok(command) => command.command_id(),
                Err(refusal) => refusal.command_id,
            };
            return self.service_error(err, command_id).await;
        }
        match read {
            Ok(command) => {
                // A database that stops answering holds a command no longer than a request:
                // it is refused as unavailable and the socket goes on.
                let command_id = command.command_id();
                let budget =
                    std::time::Duration::from_secs(self.state.settings.request_timeout_secs.max(1));
                let started = std::time::Instant::now();
                let answered = tokio::time::timeout(budget, self.on_command(command)).await;
                self.state
                    .desk
                    .activity()
                    .commands
                    .observe(started.elapsed());
                match answered {
                    Ok(sent) => sent,
                    Err(_) => {
                        tracing::error!("a command ran out of time; is the database answering?");
                        let message = app::i18n::text(self.lang, "error-unavailable", &[]);
                        self.error(ErrorCode::Unavailable, message, command_id)
                            .await
                    }
                }
            }
            Err(refusal) => {
                self.error(refusal.code, refusal.message, refusal.command_id)
                    .await
            }
        }
    }

    pub(super) async fn on_command(&mut self, command: Command) -> Sent {
        let desk = self.state.desk.clone();
        match command {
            Command::Ping { nonce } => self.send(&Event::Pong { nonce }).await,
            Command::SetAway { away } => match desk.set_away(&self.viewer, self.hub.id(), away) {
                Ok(()) => Ok(()),
                Err(err) => self.service_error(err, None).await,
            },
            Command::Presence {
                ticket_id,
                mode,
                typing,
            } => {
                let Some(follow) = self.tickets.get(&ticket_id) else {
                    let message = "subscribe to the ticket before saying you are on it".into();
                    return self.error(ErrorCode::Conflict, message, None).await;
                };
                desk.say_presence(&self.viewer, follow.scope, self.hub.id(), mode, typing);
                Ok(())
            }
            Command::Subscribe {
                topic,
                since,
                filter,
            } => {
                self.subscribe(topic, since, filter.unwrap_or_default())
                    .await
            }
            Command::Unsubscribe { topic } => {
                self.unsubscribe(topic);
                Ok(())
            }
            Command::StartTicket {
                command_id,
                client_msg_id,
                department_id,
                subject,
                body,
                attachments,
                form,
            } => {
                let first = service::Post {
                    client_msg_id,
                    body: &body,
                    hidden: false,
                    close: false,
                    attachments: &attachments,
                    seen: None,
                    by_mail: None,
                };
                let result = desk
                    .start_ticket(&self.viewer, department_id, &subject, first, form.as_ref())
                    .await;
                self.ack(command_id, result).await
            }
            Command::SendMessage {
                command_id,
                ticket_id,
                client_msg_id,
                body,
                hidden,
                close,
                attachments,
                seen,
            } => {
                let post = service::Post {
                    client_msg_id,
                    body: &body,
                    hidden,
                    close,
                    attachments: &attachments,
                    seen,
                    by_mail: None,
                };
                let result = desk.post_message(&self.viewer, ticket_id, post).await;
                self.ack(command_id, result).await
            }
            Command::Take {
                command_id,
                ticket_id,
            } => {
                let result = desk.take(&self.viewer, ticket_id).await;
                self.ack(command_id, result).await
            }
            Command::Release {
                command_id,
                ticket_id,
            } => {
                let result = desk.release(&self.viewer, ticket_id).await;
                self.ack(command_id, result).await
            }
            Command::EndCall {
                command_id,
                call_id,
                end,
            } => {
                let result = desk.end_call(&self.viewer, &call_id, end).await;
                self.ack(command_id, result).await
            }
            Command::ChangeAccount {
                command_id,
                call_id,
                client_msg_id,
                change,
            } => {
                let result = desk
                    .change_account(&self.viewer, &call_id, &client_msg_id, change)
                    .await
                    .map(|changed| changed.written);
                self.ack(command_id, result).await
            }
            Command::AcceptCallback {
                command_id,
                callback_id,
            } => {
                let result = desk.accept_callback(&self.viewer, callback_id).await;
                self.done(command_id, result.map(|_| ())).await
            }
            Command::RecordCallback {
                command_id,
                callback_id,
                outcome,
            } => {
                let result = desk
                    .record_callback(&self.viewer, callback_id, outcome)
                    .await;
                self.done(command_id, result.map(|_| ())).await
            }
            Command::Archive {
                command_id,
                ticket_id,
            } => {
                let result = desk.archive(&self.viewer, ticket_id).await;
                self.ack(command_id, result).await
            }
            Command::EditMessage {
                command_id,
                ticket_id,
                seq,
                body,
            } => {
                let result = desk.edit_message(&self.viewer, ticket_id, seq, &body).await;
                self.ack(command_id, result).await
            }
            Command::Rate {
                command_id,
                ticket_id,
                mark_id,
            } => {
                let result = desk.rate(&self.viewer, ticket_id, mark_id).await;
                self.ack(command_id, result).await
            }
            Command::Transfer {
                command_id,
                ticket_id,
                department_id,
                seen,
            } => {
                let result = desk
                    .transfer(&self.viewer, ticket_id, department_id, seen)
                    .await;
                self.ack(command_id, result).await
            }
            Command::SaveParameters {
                command_id,
                ticket_id,
                params,
            } => {
                let result = desk.save_parameters(&self.viewer, ticket_id, &params).await;
                self.ack(command_id, result).await
            }
            Command::Split {
                command_id,
                ticket_id,
                seq,
                seen,
            } => {
                let result = desk.split(&self.viewer, ticket_id, seq, seen).await;
                self.ack(command_id, result).await
            }
            Command::MemberProfile {
                command_id,
                member_id,
            } => match desk.member_profile(&self.viewer, member_id).await {
                Ok(profile) => {
                    self.send(&Event::MemberProfile {
                        command_id,
                        profile: Box::new(profile),
                    })
                    .await
                }
                Err(err) => self.service_error(err, Some(command_id)).await,
            },
            Command::Diagnose {
                command_id,
                ticket_id,
                request,
            } => match desk
                .diagnose(&self.viewer, ticket_id, &request, self.lang)
                .await
            {
                Ok(diagnosis) => {
                    self.send(&Event::Diagnosis {
                        command_id,
                        diagnosis,
                    })
                    .await
                }
                Err(err) => self.service_error(err, Some(command_id)).await,
            },
            Command::Statistics { command_id, range } => {
                match desk.statistics(&self.viewer, &range).await {
                    Ok(statistics) => {
                        self.send(&Event::Statistics {
                            command_id,
                            statistics: Box::new(statistics),
                        })
                        .await
                    }
                    Err(err) => self.service_error(err, Some(command_id)).await,
                }
            }
            Command::SetMemberComment {
                command_id,
                member_id,
                comment,
            } => {
                let result = desk
                    .set_member_comment(&self.viewer, member_id, &comment)
                    .await;
                self.done(command_id, result).await
            }
            Command::Search { command_id, query } => {
                match desk.search(&self.viewer, &query).await {
                    Ok(hits) => {
                        self.send(&Event::SearchResults {
                            command_id,
                            query,
                            hits,
                        })
                        .await
                    }
                    Err(err) => self.service_error(err, Some(command_id)).await,
                }
            }
            Command::Assign {
                command_id,
                ticket_id,
                user_id,
                seen,
            } => {
                let result = desk.assign(&self.viewer, ticket_id, user_id, seen).await;
                self.ack(command_id, result).await
            }
            Command::SetAnswerBy {
                command_id,
                ticket_id,
                answer_by,
            } => {
                let result = desk.set_answer_by(&self.viewer, ticket_id, answer_by).await;
                self.done(command_id, result).await
            }
            Command::SaveDraft {
                command_id,
                ticket_id,
                note,
                body,
            } => {
                let result = desk.save_draft(&self.viewer, ticket_id, note, &body).await;
                self.done(command_id, result).await
            }
            Command::Follow {
                command_id,
                ticket_id,
                follow,
            } => {
                let result = desk.follow(&self.viewer, ticket_id, follow).await;
                self.done(command_id, result).await
            }
            Command::ReadNotifications {
                command_id,
                ticket_id,
            } => {
                let result = desk.read_notifications(&self.viewer, ticket_id).await;
                self.done(command_id, result).await
            }
            Command::Admin { command_id, action } => {
                let result = match action {
                    Some(action) => desk.administer(&self.viewer, action).await,
                    None => desk.admin_state(&self.viewer).await,
                };
                match result {
                    Ok(state) => self.send(&Event::AdminState { command_id, state }).await,
                    Err(err) => self.service_error(err, Some(command_id)).await,
                }
            }
            Command::SetPreferences {
                command_id,
                preferences,
            } => {
                let result = desk.set_preferences(&self.viewer, &preferences).await;
                self.done(command_id, result).await
            }
            Command::MarkRead { ticket_id, seq } => {
                match desk.mark_read(&self.viewer, ticket_id, seq).await {
                    Ok(()) => Ok(()),
                    Err(err) => self.service_error(err, None).await,
                }
            }
        }
    }

    pub(super) async fn ack(
        &mut self,
        command_id: CommandId,
        result: service::Result<app::protocol::Written>,
    ) -> Sent {
        match result {
            Ok(written) => {
                self.send(&Event::Ack {
                    command_id,
                    ticket_id: written.ticket_id,
                    seq: written.seq,
                    duplicate: written.duplicate,
                })
                .await
            }
            Err(err) => self.service_error(err, Some(command_id)).await,
        }
    }

    pub(super) async fn done(
        &mut self,
        command_id: CommandId,
        result: service::Result<()>,
    ) -> Sent {
        match result {
            Ok(()) => self.send(&Event::Done { command_id }).await,
            Err(err) => self.service_error(err, Some(command_id)).await,
        }
    }
}
