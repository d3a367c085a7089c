//! Events out: what the hub says, shaped for this socket's reader before it is written.

use app::protocol::{Event, TicketId, Topic};

use crate::{
    domain::{self, Viewer},
    hub::{self, HubMsg},
};

use super::{Conn, Sent};

impl Conn {
    pub(super) async fn on_hub(&mut self, msg: HubMsg) -> Sent {
        match msg {
            HubMsg::Event(event) => {
                let id = event.scope.id;
                let Some(visible) = domain::event_for(&self.viewer, &event) else {
                    return Ok(());
                };
                let Some(follow) = self.tickets.get(&id) else {
                    return Ok(());
                };
                if visible.seq.0 > follow.last.0 + 1 {
                    // An earlier event's publication is still on its way; the store has it.
                    self.catch_up(id).await
                } else {
                    self.write_event(&event).await
                }
            }
            HubMsg::Notification(notification) => {
                if !self.notifications {
                    return Ok(());
                }
                self.send(&Event::Notification {
                    notification: (*notification).clone(),
                })
                .await
            }
            HubMsg::Following(ticket_id, following) => {
                if !self.notifications {
                    return Ok(());
                }
                self.send(&Event::Following {
                    ticket_id,
                    following,
                })
                .await
            }
            HubMsg::NotificationsRead(ticket_id) => {
                if !self.notifications {
                    return Ok(());
                }
                self.send(&Event::NotificationsRead { ticket_id }).await
            }
            HubMsg::MeChanged => self.reload_me().await,
            HubMsg::SessionsEnded(ended) => {
                // Nothing more is read or written for this session: the loop closes it.
                self.ended |= ended.includes(&self.session_id);
                Ok(())
            }
            HubMsg::Availability(both) => self.send_availability(&both.0).await,
            HubMsg::Call(record) => {
                let Some(shown) = self.calls.as_mut() else {
                    return Ok(());
                };
                match domain::call_for(&self.viewer, true, &record) {
                    Some(call) => {
                        shown.insert(call.id.clone());
                        self.send(&Event::CallChanged { call }).await
                    }
                    None if shown.remove(&record.call.id) => {
                        let call_id = record.call.id.clone();
                        self.send(&Event::CallGone { call_id }).await
                    }
                    None => Ok(()),
                }
            }
            HubMsg::Callback(record) => {
                let Some(shown) = self.calls.as_mut() else {
                    return Ok(());
                };
                let key = format!("callback-{}", record.callback.id);
                match domain::callback_for(&self.viewer, true, &record) {
                    Some(callback) => {
                        shown.insert(key);
                        self.send(&Event::CallbackChanged { callback }).await
                    }
                    None if shown.remove(&key) => {
                        let callback_id = record.callback.id;
                        self.send(&Event::CallbackGone { callback_id }).await
                    }
                    None => Ok(()),
                }
            }
            HubMsg::CallbacksWaiting(count) => {
                if self.calls.is_none() {
                    return Ok(());
                }
                self.send(&Event::CallbacksWaiting { count }).await
            }
            HubMsg::Presence(snapshot) => {
                let id = snapshot.scope.id;
                if self.tickets.contains_key(&id) || (self.lists && self.viewer.role.is_staff()) {
                    self.send_presence(&snapshot).await
                } else {
                    Ok(())
                }
            }
            HubMsg::Ticket(record) => {
                let id = record.scope.id;
                // A member hears of others' tickets only through the lines they wait in,
                // and learns only that a line moved.
                if self.viewer.role == app::protocol::Role::Member {
                    self.places_moved();
                    if record.scope.member_id != self.viewer.id {
                        return Ok(());
                    }
                }
                let follows_ticket = self.tickets.contains_key(&id);
                if !self.lists && !follows_ticket {
                    return Ok(());
                }
                match domain::summary_for(&self.viewer, &record) {
                    Some(ticket) => {
                        if self
                            .revisions
                            .get(&id)
                            .is_some_and(|r| *r >= ticket.revision)
                        {
                            return Ok(());
                        }
                        self.revisions.insert(id, ticket.revision);
                        self.send(&Event::TicketChanged { ticket }).await
                    }
                    // Only staff lists and followers of the ticket hear of it, and they knew it.
                    None => {
                        self.revisions.remove(&id);
                        if follows_ticket {
                            self.unsubscribe(Topic::Ticket { id });
                        }
                        self.send(&Event::TicketRemoved { ticket_id: id }).await
                    }
                }
            }
        }
    }

    /// The person or the desk's configuration changed: read both again, drop what they may no
    /// longer see, and tell the page.
    pub(super) async fn reload_me(&mut self) -> Sent {
        let viewer = match self.state.desk.viewer(self.viewer.id).await {
            Ok(Some(viewer)) => viewer,
            // Removed since: the session ends at the next heartbeat.
            Ok(None) => return Ok(()),
            Err(err) => return self.service_error(err, None).await,
        };
        let me = match self.state.desk.me(&viewer).await {
            Ok(me) => me,
            Err(err) => return self.service_error(err, None).await,
        };
        self.lang = me.language.unwrap_or(self.lang);
        if !viewer.sees_all_departments() {
            for gone in self
                .viewer
                .departments
                .iter()
                .filter(|d| !viewer.departments.contains(d))
            {
                self.hub.unsubscribe(hub::Topic::Department(*gone));
            }
            self.viewer.departments = viewer.departments.clone();
            let hidden: Vec<TicketId> = self
                .tickets
                .iter()
                .filter(|(_, f)| !domain::can_view(&viewer, &f.scope))
                .map(|(id, _)| *id)
                .collect();
            for id in hidden {
                self.unsubscribe(Topic::Ticket { id });
                self.send(&Event::TicketRemoved { ticket_id: id }).await?;
            }
        }
        // Availability counts the departments one belongs to, not all that a moderator sees.
        let memberships = viewer.departments.clone();
        let departments = std::mem::take(&mut self.viewer.departments);
        self.viewer = Viewer {
            departments: if viewer.sees_all_departments() {
                departments
            } else {
                viewer.departments.clone()
            },
            ..viewer
        };
        self.follow_kept();
        self.state
            .desk
            .screen_opened(self.hub.id(), &self.viewer, memberships);
        self.send(&Event::MeChanged { me }).await
    }

    /// Writes who of staff is available, as this reader may know it (staff: everyone; a
    /// member: only the departments with an operator online), when it changed.
    pub(super) async fn send_availability(&mut self, all: &[app::protocol::StaffStatus]) -> Sent {
        let event = if self.viewer.role.is_staff() {
            Event::Availability {
                staff: all.to_vec(),
            }
        } else {
            let mut departments: Vec<_> = all
                .iter()
                .filter(|s| s.availability == app::protocol::Availability::Online)
                .flat_map(|s| s.departments.iter().copied())
                .collect();
            departments.sort();
            departments.dedup();
            Event::SupportOnline { departments }
        };
        if self.availability_shown.as_ref() == Some(&event) {
            return Ok(());
        }
        self.availability_shown = Some(event.clone());
        self.send(&event).await
    }

    /// Writes who has a ticket open, as this reader may see it.
    pub(super) async fn send_presence(
        &mut self,
        snapshot: &crate::hub::presence::Snapshot,
    ) -> Sent {
        match domain::presence_for(&self.viewer, &snapshot.scope, &snapshot.present) {
            Some(present) => {
                let id = snapshot.scope.id;
                let before = self.presence_shown.get(&id).map_or(&[][..], Vec::as_slice);
                if before == present.as_slice() {
                    return Ok(());
                }
                if present.is_empty() {
                    self.presence_shown.remove(&id);
                } else {
                    self.presence_shown.insert(id, present.clone());
                }
                self.send(&Event::Presence {
                    ticket_id: snapshot.scope.id,
                    present,
                })
                .await
            }
            None => Ok(()),
        }
    }
}
