//! Who is asking: signing in, the person behind a session, whether a session still lives.

use std::net::IpAddr;

use app::protocol::{Department, DepartmentId, Role, UserId};
use tracing::instrument;

use super::{Desk, Error, Result};
use crate::{
    auth::StoreSessions,
    clock::now,
    domain::{self, Email, Label, Password, Reason, Viewer},
    hub::{Ended, HubMsg, Topic},
    store::{self, WriteTx},
};

impl Desk {
    /// The person `id` as permissions see them now; `None` when they no longer exist.
    pub async fn viewer(&self, id: UserId) -> Result<Option<Viewer>> {
        match self.store.viewer(id).await {
            Ok(viewer) => Ok(Some(viewer)),
            Err(store::Error::NotFound) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    /// Whether the session `id` still exists (a logout anywhere ends it).
    pub async fn session_exists(&self, id: &str) -> Result<bool> {
        Ok(self.store.session_load(id, now()).await?.is_some())
    }

    /// The session `session` of `user` ended (signed out): its sockets, on every node, close
    /// before this returns.
    pub async fn signed_out(&self, user: UserId, session: &str) {
        self.sessions_ended(user, Ended::Only(session.to_owned()))
            .await;
    }

    /// Tells every screen of `user`, here and on the other nodes, which sessions ended; they
    /// close at once. Returns once the other nodes have been told.
    pub(super) async fn sessions_ended(&self, user: UserId, ended: Ended) {
        self.hub
            .publish_committed(Topic::User(user), HubMsg::SessionsEnded(ended))
            .await;
        self.hub.flushed().await;
    }

    /// A person changes their own password: the current one is required (wrong ones count
    /// like wrong sign-ins from `address`), the new one must be strong enough; every other
    /// session of theirs ends (`session` stays signed in).
    #[instrument(skip_all)]
    pub async fn change_password(
        &self,
        viewer: &Viewer,
        session: &str,
        address: IpAddr,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let account = self.store.account(viewer.id).await?;
        let new = Password::parse_new(new, &account.email)?;
        // Guessing the current password through this form is slowed like signing in.
        let right = self
            .check_password(&account.email, account.password_hash, current, address)
            .await?;
        if !right {
            return Err(domain::Error::Invalid {
                field: "current_password",
                reason: Reason::new("invalid-current-password"),
            }
            .into());
        }
        self.set_password(viewer.id, &new, Some(session)).await
    }

    /// Stores `password` for `user` and ends their sessions but `keep`, on every node.
    pub(super) async fn set_password(
        &self,
        user: UserId,
        password: &Password,
        keep: Option<&str>,
    ) -> Result<()> {
        let hash = self.hash(password).await?;
        let mut w = self.store.begin_write().await?;
        w.set_password(user, &hash).await?;
        w.end_sessions(user, keep).await?;
        w.commit().await?;
        let ended = match keep {
            Some(kept) => Ended::AllBut(kept.to_owned()),
            None => Ended::All,
        };
        self.sessions_ended(user, ended).await;
        Ok(())
    }

    /// A hash of `password` for storage, made on the password pool.
    pub(super) async fn hash(&self, password: &Password) -> Result<String> {
        self.passwords
            .hash(password.expose().to_owned())
            .await
            .map_err(|busy| Error::Busy(busy.0))?
            .ok_or_else(|| {
                domain::Error::Invalid {
                    field: "password",
                    reason: Reason::new("invalid-cannot-be-stored"),
                }
                .into()
            })
    }

    /// Sessions as tower-sessions keeps them, in this desk's store.
    pub fn sessions(&self) -> StoreSessions {
        StoreSessions::new(self.store.clone())
    }

    /// Every department's id (moderators and administrators watch them all).
    pub async fn all_departments(&self) -> Result<Vec<DepartmentId>> {
        Ok(self
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| d.id)
            .collect())
    }

    /// Whether the database answers.
    pub async fn healthy(&self) -> bool {
        self.store.ping().await
    }
}

/// Someone to add to the desk, checked: the administration page's new member of staff, and
/// the command line's `create-user`.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub email: Email,
    pub name: Label,
    pub role: Role,
    pub password: Password,
    pub departments: Vec<DepartmentId>,
}

impl NewPerson {
    /// What a form or the command line gave, checked field by field.
    pub fn parse(
        email: &str,
        name: &str,
        role: Role,
        password: &str,
        departments: Vec<DepartmentId>,
    ) -> std::result::Result<Self, domain::Error> {
        Ok(NewPerson {
            email: Email::parse(email)?,
            name: Label::person_name(name)?,
            role,
            password: Password::parse_new(password, email)?,
            departments,
        })
    }
}

/// Adds `person` within the write `w` with the password hash `hash`; `invalid` on `email`
/// when the address already has an account.
async fn add_person(w: &mut WriteTx, person: &NewPerson, hash: &str) -> Result<UserId> {
    let email = person.email.as_str();
    let id = match w
        .insert_employee(email, person.name.as_str(), person.role, hash, now())
        .await
    {
        Ok(id) => id,
        Err(store::Error::Conflict(_)) => {
            return Err(domain::Error::Invalid {
                field: "email",
                reason: Reason::new("invalid-taken").with("name", email),
            }
            .into());
        }
        Err(other) => return Err(other.into()),
    };
    w.set_departments(id, &person.departments).await?;
    Ok(id)
}

/// A password no one will ever type, for a person made without one: it satisfies the form of
/// a person and is never stored (they get `NO_PASSWORD`).
pub(super) fn unused_password() -> String {
    let mut secret = [0u8; 24];
    password_hash::rand_core::RngCore::fill_bytes(
        &mut password_hash::rand_core::OsRng,
        &mut secret,
    );
    domain::hex(&secret)
}

/// `invalid` on `department_id`: there is no such department.
pub(super) fn unknown_department(id: DepartmentId) -> super::Error {
    domain::Error::Invalid {
        field: "department_id",
        reason: Reason::new("invalid-no-such-department").with("id", id),
    }
    .into()
}

impl Desk {
    /// Adds a person of any role with their password and departments (the command line's
    /// `create-user`; administrators add staff through `administer`).
    #[instrument(skip_all)]
    pub async fn create_person(&self, person: NewPerson) -> Result<UserId> {
        let known: Vec<DepartmentId> = self.all_departments().await?;
        if let Some(unknown) = person.departments.iter().find(|d| !known.contains(d)) {
            return Err(unknown_department(*unknown));
        }
        let hash = self.hash(&person.password).await?;
        let mut w = self.store.begin_write().await?;
        let id = add_person(&mut w, &person, &hash).await?;
        w.commit().await?;
        Ok(id)
    }

    /// Adds `person` without a password: they cannot sign in until one is set for them, and
    /// making them costs no hashing (a member made from a mail).
    pub(super) async fn create_person_without_password(&self, person: NewPerson) -> Result<UserId> {
        self.create_person_with_hash(person, crate::passwords::NO_PASSWORD)
            .await
    }

    /// Adds `person` with a password hashed already (a sign-up's, confirmed).
    pub(super) async fn create_person_with_hash(
        &self,
        person: NewPerson,
        hash: &str,
    ) -> Result<UserId> {
        let mut w = self.store.begin_write().await?;
        let id = add_person(&mut w, &person, hash).await?;
        w.commit().await?;
        Ok(id)
    }

    /// A member added by hand: `email` and `name` checked as for anyone, `phone` (when given)
    /// read as E.164 and no one else's; no password. One transaction: all of it or nothing.
    pub(super) async fn add_member(
        &self,
        email: &str,
        name: &str,
        phone: Option<&str>,
    ) -> Result<UserId> {
        let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(raw) => Some(
                domain::calls::caller(raw).map_err(|_| domain::Error::Invalid {
                    field: "phone",
                    reason: Reason::new("invalid-phone"),
                })?,
            ),
        };
        let person = NewPerson::parse(email, name, Role::Member, &unused_password(), Vec::new())?;
        if let Some(phone) = &phone
            && self.store.member_by_phone(phone).await?.is_some()
        {
            return Err(domain::Error::Invalid {
                field: "phone",
                reason: Reason::new("invalid-taken").with("name", phone),
            }
            .into());
        }
        let mut w = self.store.begin_write().await?;
        let id = add_person(&mut w, &person, crate::passwords::NO_PASSWORD).await?;
        if let Some(phone) = &phone {
            w.claim_phone(id, phone).await?;
        }
        w.commit().await?;
        Ok(id)
    }

    /// Every department, with its name.
    pub async fn departments(&self) -> Result<Vec<Department>> {
        Ok(self.store.departments().await?)
    }
}
