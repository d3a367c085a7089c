//! Administration: the use case that changes the desk's configuration. Only administrators
//! may call it; every change is validated here, committed in one transaction, and then every
//! open socket reloads what it shows (departments, options, marks, canned responses, and the
//! permissions of people whose departments changed).

use app::protocol::{
    AdminAction, AdminState, DepartmentId, OptionId, OptionKind, QueueId, RatingMarkId, Role,
    UserId, limits,
};
use tracing::instrument;

use super::people::{NewPerson, unknown_department};
use crate::{
    clock::now,
    domain::{self, Password, Reason, Viewer},
    hub::{HubMsg, Topic},
    service::{Desk, Result},
    store,
};

/// Longest department name, employee name, option or mark label, canned response title.
pub(super) const MAX_NAME_CHARS: usize = 80;

/// Refuses `name` when another entry (not `except`) already has it, in any case.
fn unique<'a, I: PartialEq + 'a>(
    field: &'static str,
    name: &str,
    others: impl IntoIterator<Item = (I, &'a str)>,
    except: Option<I>,
) -> Result<(), domain::Error> {
    let lower = name.to_lowercase();
    let clash = others
        .into_iter()
        .any(|(id, other)| Some(&id) != except.as_ref() && other.to_lowercase() == lower);
    if clash {
        Err(domain::Error::Invalid {
            field,
            reason: Reason::new("invalid-taken").with("name", name),
        })
    } else {
        Ok(())
    }
}

/// The thing to change does not exist.
pub(super) fn nothing_to_change() -> crate::service::Error {
    domain::Error::Invalid {
        field: "id",
        reason: Reason::new("invalid-nothing-to-change"),
    }
    .into()
}

/// Something still holds `count` tickets, so it cannot be deleted; `key` says what to do.
fn in_use(key: &'static str, name: &str, count: i64) -> crate::service::Error {
    domain::Error::InUse(Reason::new(key).with("name", name).with("count", count)).into()
}

/// A taken name is the administrator's to fix, not an internal error.
pub(super) fn taken(
    field: &'static str,
    what: &str,
) -> impl FnOnce(store::Error) -> crate::service::Error {
    let reason = Reason::new("invalid-taken").with("name", what);
    move |err| match err {
        store::Error::Conflict(_) => domain::Error::Invalid { field, reason }.into(),
        store::Error::NotFound => nothing_to_change(),
        other => other.into(),
    }
}

impl Desk {
    /// The configuration, for administrators.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn admin_state(&self, viewer: &Viewer) -> Result<AdminState> {
        if viewer.role != Role::Administrator {
            return Err(domain::Error::AdministratorsOnly.into());
        }
        let mut state = self.store.admin_state().await?;
        state.settings_relay = self.settings_relay();
        Ok(state)
    }

    /// Applies one administrator's change; the configuration as it now stands.
    #[instrument(skip_all, fields(user_id = %viewer.id))]
    pub async fn administer(&self, viewer: &Viewer, action: AdminAction) -> Result<AdminState> {
        let mut state = self.change_configuration(viewer, action).await?;
        state.settings_relay = self.settings_relay();
        Ok(state)
    }

    /// Applies one administrator's change.
    async fn change_configuration(
        &self,
        viewer: &Viewer,
        action: AdminAction,
    ) -> Result<AdminState> {
        let state = self.admin_state(viewer).await?;
        let department_known = |id| state.departments.iter().any(|d| d.id == id);
        let action = match action {
            AdminAction::CreateEmployee {
                email,
                name,
                role,
                password,
                departments,
            } => {
                let person = NewPerson::parse(&email, &name, role, &password, departments)?;
                return self.add_employee(person).await;
            }
            AdminAction::CreateMember { email, name, phone } => {
                self.add_member(&email, &name, phone.as_deref()).await?;
                return Ok(self.store.admin_state().await?);
            }
            AdminAction::ResetPassword { id, password } => {
                return self.reset_password(viewer, id, &password).await;
            }
            AdminAction::SetDisabled { id, disabled } => {
                return self.set_disabled(viewer, id, disabled).await;
            }
            AdminAction::CreateMailbox { .. }
            | AdminAction::DeleteMailbox { .. }
            | AdminAction::ConnectMailbox { .. }
            | AdminAction::DisconnectMailbox { .. } => {
                return self.administer_mailbox(&state, action).await;
            }
            AdminAction::SetRelay { .. } | AdminAction::RemoveRelay => {
                return self.administer_relay(&state, action).await;
            }
            AdminAction::CreateSite { .. }
            | AdminAction::UpdateSite { .. }
            | AdminAction::RotateSiteSecret { .. }
            | AdminAction::DeleteSite { .. } => return self.administer_site(action).await,
            AdminAction::SetSignUp { open } => {
                self.store.set_sign_up_open(open).await?;
                return Ok(self.store.admin_state().await?);
            }
            other => other,
        };
        let mut w = self.store.begin_write().await?;
        match action {
            AdminAction::CreateDepartment { name, public } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                unique("name", &name, department_names(&state), None)?;
                w.insert_department(&name, public, now())
                    .await
                    .map_err(taken("name", &name))?;
            }
            AdminAction::UpdateDepartment { id, name, public } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                unique("name", &name, department_names(&state), Some(id))?;
                w.update_department(id, &name, public)
                    .await
                    .map_err(taken("name", &name))?;
            }
            AdminAction::SetResponseTargets {
                id,
                first_minutes,
                next_minutes,
            } => {
                let targets = app::protocol::ResponseTargets {
                    department_id: id,
                    first_minutes: target_minutes("first_minutes", first_minutes)?,
                    next_minutes: target_minutes("next_minutes", next_minutes)?,
                };
                match w.set_response_targets(&targets).await {
                    Err(store::Error::NotFound) => {
                        return Err(domain::Error::DepartmentNotFound.into());
                    }
                    other => other?,
                }
            }
            AdminAction::DeleteDepartment { id } => {
                let Some(department) = state.departments.iter().find(|d| d.id == id) else {
                    return Err(domain::Error::DepartmentNotFound.into());
                };
                if department.tickets > 0 {
                    return Err(in_use(
                        "in-use-department",
                        &department.name,
                        department.tickets,
                    ));
                }
                w.delete_department(id).await?;
            }
            // Handled above: their passwords are hashed before a write begins.
            AdminAction::CreateEmployee { .. }
            | AdminAction::CreateMember { .. }
            | AdminAction::CreateMailbox { .. }
            | AdminAction::DeleteMailbox { .. }
            | AdminAction::ConnectMailbox { .. }
            | AdminAction::DisconnectMailbox { .. }
            | AdminAction::SetRelay { .. }
            | AdminAction::RemoveRelay
            | AdminAction::CreateSite { .. }
            | AdminAction::UpdateSite { .. }
            | AdminAction::RotateSiteSecret { .. }
            | AdminAction::DeleteSite { .. }
            | AdminAction::SetSignUp { .. }
            | AdminAction::ResetPassword { .. }
            | AdminAction::SetDisabled { .. } => {
                return Err(nothing_to_change());
            }
            AdminAction::UpdateEmployee {
                id,
                name,
                role,
                departments,
            } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                staff_role(role)?;
                if id == viewer.id && role != Role::Administrator {
                    return Err(
                        domain::Error::State(Reason::new("state-own-administration")).into(),
                    );
                }
                if let Some(unknown) = departments.iter().find(|d| !department_known(**d)) {
                    return Err(unknown_department(*unknown));
                }
                w.update_employee(id, &name, role)
                    .await
                    .map_err(taken("name", &name))?;
                w.set_departments(id, &departments).await?;
            }
            AdminAction::SetExtension { id, extension } => {
                let extension = extension
                    .as_deref()
                    .filter(|e| !e.trim().is_empty())
                    .map(domain::calls::extension)
                    .transpose()?;
                let shown = extension.clone().unwrap_or_default();
                w.set_extension(id, extension.as_deref())
                    .await
                    .map_err(taken("extension", &shown))?;
            }
            AdminAction::CreateOption { kind, label, side } => {
                let label = domain::Label::parse("label", &label, MAX_NAME_CHARS)?.into_string();
                unique("label", &label, option_labels(&state, kind), None)?;
                let side = option_side(kind, side)?;
                w.insert_option(kind, &label, side)
                    .await
                    .map_err(taken("label", &label))?;
            }
            AdminAction::UpdateOption { id, label, side } => {
                let label = domain::Label::parse("label", &label, MAX_NAME_CHARS)?.into_string();
                let kind = w.option_kind(id).await.map_err(taken("label", &label))?;
                unique("label", &label, option_labels(&state, kind), Some(id))?;
                let side = option_side(kind, side)?;
                w.update_option(id, &label, side)
                    .await
                    .map_err(taken("label", &label))?;
            }
            AdminAction::RetireOption { id, retired } => {
                w.retire_option(id, retired)
                    .await
                    .map_err(taken("id", "that option"))?;
            }
            AdminAction::DeleteOption { id } => {
                let Some(option) = state.options.iter().find(|o| o.option.id == id) else {
                    return Err(nothing_to_change());
                };
                if option.tickets > 0 {
                    return Err(in_use(
                        "in-use-option",
                        &option.option.label,
                        option.tickets,
                    ));
                }
                w.delete_option(id).await?;
            }
            AdminAction::CreateMark { label } => {
                let label = domain::Label::parse("label", &label, MAX_NAME_CHARS)?.into_string();
                unique("label", &label, mark_labels(&state), None)?;
                w.insert_mark(&label)
                    .await
                    .map_err(taken("label", &label))?;
            }
            AdminAction::UpdateMark { id, label } => {
                let label = domain::Label::parse("label", &label, MAX_NAME_CHARS)?.into_string();
                unique("label", &label, mark_labels(&state), Some(id))?;
                w.update_mark(id, &label)
                    .await
                    .map_err(taken("label", &label))?;
            }
            AdminAction::RetireMark { id, retired } => {
                if !retired || state.rating_marks.iter().filter(|m| !m.retired).count() > 1 {
                    w.retire_mark(id, retired)
                        .await
                        .map_err(taken("id", "that mark"))?;
                } else {
                    return Err(domain::Error::State(Reason::new("state-last-mark")).into());
                }
            }
            AdminAction::CreateCallEndReason { label, closes } => {
                let label = domain::Label::parse("label", &label, MAX_REASON_CHARS)?.into_string();
                unique("label", &label, reason_labels(&state), None)?;
                w.insert_call_end_reason(&label, closes)
                    .await
                    .map_err(taken("label", &label))?;
            }
            AdminAction::UpdateCallEndReason { id, label, closes } => {
                let label = domain::Label::parse("label", &label, MAX_REASON_CHARS)?.into_string();
                unique("label", &label, reason_labels(&state), Some(id))?;
                w.update_call_end_reason(id, &label, closes)
                    .await
                    .map_err(taken("label", &label))?;
            }
            AdminAction::MoveCallEndReason { id, up } => {
                let reasons = &state.call_end_reasons;
                let Some(at) = reasons.iter().position(|r| r.id == id) else {
                    return Err(nothing_to_change());
                };
                let other = if up {
                    at.checked_sub(1)
                } else {
                    Some(at + 1).filter(|&next| next < reasons.len())
                };
                let Some(other) = other else {
                    return Err(nothing_to_change());
                };
                w.swap_call_end_reasons(id, reasons[other].id)
                    .await
                    .map_err(taken("id", "that reason"))?;
            }
            AdminAction::RetireCallEndReason { id, retired } => {
                let offered = state.call_end_reasons.iter().filter(|r| !r.retired).count();
                if retired && offered <= 1 {
                    return Err(domain::Error::State(Reason::new("state-last-reason")).into());
                }
                w.retire_call_end_reason(id, retired)
                    .await
                    .map_err(taken("id", "that reason"))?;
            }
            AdminAction::CreateCanned {
                department_id,
                title,
                body,
            } => {
                let title = domain::Label::parse("title", &title, MAX_NAME_CHARS)?.into_string();
                let body = canned_body(&body)?;
                if !department_known(department_id) {
                    return Err(unknown_department(department_id));
                }
                w.insert_canned(department_id, &title, &body, now())
                    .await
                    .map_err(taken("title", &title))?;
            }
            AdminAction::UpdateCanned {
                id,
                department_id,
                title,
                body,
            } => {
                let title = domain::Label::parse("title", &title, MAX_NAME_CHARS)?.into_string();
                let body = canned_body(&body)?;
                if !department_known(department_id) {
                    return Err(unknown_department(department_id));
                }
                w.update_canned(id, department_id, &title, &body)
                    .await
                    .map_err(taken("title", &title))?;
            }
            AdminAction::CreateQueue { name, channel } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                unique("name", &name, queue_names(&state), None)?;
                w.insert_queue(&name, channel)
                    .await
                    .map_err(taken("name", &name))?;
            }
            AdminAction::UpdateQueue { id, name } => {
                let name = domain::Label::parse("name", &name, MAX_NAME_CHARS)?.into_string();
                unique("name", &name, queue_names(&state), Some(id))?;
                w.update_queue(id, &name)
                    .await
                    .map_err(taken("name", &name))?;
            }
            AdminAction::RetireQueue { id, retired } => {
                if retired {
                    last_queue_of_channel(&state, id)?;
                }
                w.retire_queue(id, retired)
                    .await
                    .map_err(taken("id", "that queue"))?;
            }
            AdminAction::DeleteQueue { id } => {
                let Some(queue) = state.queues.iter().find(|q| q.queue.id == id) else {
                    return Err(nothing_to_change());
                };
                if queue.tickets > 0 {
                    return Err(in_use("in-use-queue", &queue.queue.name, queue.tickets));
                }
                last_queue_of_channel(&state, id)?;
                w.delete_queue(id).await?;
            }
            AdminAction::DeleteCanned { id } => {
                w.delete_canned(id)
                    .await
                    .map_err(taken("id", "that response"))?;
            }
        }
        w.commit().await?;
        self.hub.publish(Topic::Everyone, HubMsg::MeChanged);
        Ok(self.store.admin_state().await?)
    }
}

impl Desk {
    /// Adds a member of staff, their password hashed before the write begins (hashing takes
    /// its time, and may wait for the password pool).
    async fn add_employee(&self, person: NewPerson) -> Result<AdminState> {
        staff_role(person.role)?;
        self.create_person(person).await?;
        self.hub.publish(Topic::Everyone, HubMsg::MeChanged);
        Ok(self.store.admin_state().await?)
    }

    /// Disables an account (every session of it ends at once, on every node; it cannot sign
    /// in) or enables it again. Not one's own.
    async fn set_disabled(
        &self,
        viewer: &Viewer,
        id: UserId,
        disabled: bool,
    ) -> Result<AdminState> {
        if id == viewer.id {
            return Err(domain::Error::State(Reason::new("state-own-account")).into());
        }
        let mut w = self.store.begin_write().await?;
        w.set_disabled(id, disabled.then(now)).await?;
        if disabled {
            w.end_sessions(id, None).await?;
        }
        w.commit().await?;
        if disabled {
            self.sessions_ended(id, crate::hub::Ended::All).await;
        }
        // Lists of staff (assigning, who is online) change for everyone.
        self.hub.publish(Topic::Everyone, HubMsg::MeChanged);
        Ok(self.store.admin_state().await?)
    }

    /// Gives someone a new password; every session of theirs ends, on every node.
    /// Administrators change their own with the old one, like everyone.
    async fn reset_password(
        &self,
        viewer: &Viewer,
        id: UserId,
        password: &str,
    ) -> Result<AdminState> {
        if id == viewer.id {
            return Err(domain::Error::State(Reason::new("state-own-password")).into());
        }
        let email = self.store.account(id).await?.email;
        let password = Password::parse_new(password, &email)?;
        self.set_password(id, &password, None).await?;
        Ok(self.store.admin_state().await?)
    }
}

fn department_names(state: &AdminState) -> impl Iterator<Item = (DepartmentId, &str)> {
    state.departments.iter().map(|d| (d.id, d.name.as_str()))
}

fn option_labels(state: &AdminState, kind: OptionKind) -> impl Iterator<Item = (OptionId, &str)> {
    state
        .options
        .iter()
        .filter(move |o| o.option.kind == kind)
        .map(|o| (o.option.id, o.option.label.as_str()))
}

/// Longest call-end reason (some say what they cover at length).
const MAX_REASON_CHARS: usize = 200;

fn reason_labels(state: &AdminState) -> impl Iterator<Item = (i64, &str)> {
    state
        .call_end_reasons
        .iter()
        .map(|r| (r.id, r.label.as_str()))
}

fn mark_labels(state: &AdminState) -> impl Iterator<Item = (RatingMarkId, &str)> {
    state.rating_marks.iter().map(|m| (m.id, m.label.as_str()))
}

fn queue_names(state: &AdminState) -> impl Iterator<Item = (QueueId, &str)> {
    state
        .queues
        .iter()
        .map(|q| (q.queue.id, q.queue.name.as_str()))
}

/// New tickets of a channel need a queue: its last offered one stays.
fn last_queue_of_channel(state: &AdminState, id: QueueId) -> Result<(), domain::Error> {
    let Some(queue) = state.queues.iter().find(|q| q.queue.id == id) else {
        return Ok(());
    };
    let others = state
        .queues
        .iter()
        .filter(|q| q.queue.channel == queue.queue.channel && !q.retired && q.queue.id != id)
        .count();
    if !queue.retired && others == 0 {
        return Err(domain::Error::InUse(
            Reason::new("in-use-last-queue")
                .with("name", &queue.queue.name)
                .with("channel", queue.queue.channel.as_str()),
        ));
    }
    Ok(())
}

/// Staff only: administrators add members of staff, members sign up by themselves.
fn staff_role(role: Role) -> Result<(), domain::Error> {
    if role.is_staff() {
        Ok(())
    } else {
        Err(domain::Error::Invalid {
            field: "role",
            reason: Reason::new("invalid-staff-roles"),
        })
    }
}

/// A status needs a side; no other option has one.
fn option_side(
    kind: OptionKind,
    side: Option<app::protocol::TicketStatus>,
) -> Result<Option<app::protocol::TicketStatus>, domain::Error> {
    match (kind, side) {
        (OptionKind::Status, None) => Err(domain::Error::Invalid {
            field: "side",
            reason: Reason::new("invalid-status-side"),
        }),
        (OptionKind::Status, side) => Ok(side),
        (_, _) => Ok(None),
    }
}

fn canned_body(raw: &str) -> Result<String, domain::Error> {
    let body = raw.trim();
    if body.is_empty() || body.chars().count() > limits::MAX_BODY_CHARS {
        return Err(domain::Error::Invalid {
            field: "body",
            reason: Reason::new("invalid-length").with("max", limits::MAX_BODY_CHARS),
        });
    }
    Ok(body.to_owned())
}

/// A response target as kept: whole minutes from one to thirty days, or none.
fn target_minutes(field: &'static str, minutes: Option<i64>) -> Result<Option<i64>> {
    match minutes {
        Some(m) if !(1..=app::protocol::MAX_TARGET_MINUTES).contains(&m) => {
            Err(domain::Error::Invalid {
                field,
                reason: Reason::new("invalid-target")
                    .with("max", app::protocol::MAX_TARGET_MINUTES),
            }
            .into())
        }
        other => Ok(other),
    }
}
