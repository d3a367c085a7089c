//! Who is asking: signing in, the person behind a session, whether a session still lives.

use app::protocol::{Department, DepartmentId, Role, UserId};
use tracing::instrument;

use super::{Desk, Result};
use crate::{
    auth::{self, StoreSessions},
    clock::now,
    domain::{self, Email, Label, Password, Reason, Viewer},
    store::{self, WriteTx},
};

impl Desk {
    /// The person with this email when the password is theirs. Every attempt costs one
    /// password hash, whether or not the email is known, so timing tells nothing.
    #[instrument(skip_all)]
    pub async fn check_credentials(&self, email: &str, password: &str) -> Result<Option<UserId>> {
        Ok(auth::check_credentials(&self.store, email, password).await?)
    }

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
            password: Password::parse(password)?,
            departments,
        })
    }
}

/// Adds `person` within the write `w`, their password hashed; `invalid` on `email` when the
/// address already has an account.
pub(super) async fn add_person(w: &mut WriteTx, person: &NewPerson) -> Result<UserId> {
    let password = person.password.clone();
    // Hashing is deliberately slow: off the async threads.
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(password.expose()))
        .await
        .ok()
        .and_then(|hashed| hashed.ok())
        .ok_or_else(|| domain::Error::Invalid {
            field: "password",
            reason: Reason::new("invalid-cannot-be-stored"),
        })?;
    let email = person.email.as_str();
    let id = match w
        .insert_employee(email, person.name.as_str(), person.role, &hash, now())
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

impl Desk {
    /// Adds a person of any role with their password and departments (the command line's
    /// `create-user`; administrators add staff through `administer`).
    #[instrument(skip_all)]
    pub async fn create_person(&self, person: NewPerson) -> Result<UserId> {
        let known: Vec<DepartmentId> = self.all_departments().await?;
        if let Some(unknown) = person.departments.iter().find(|d| !known.contains(d)) {
            return Err(domain::Error::Invalid {
                field: "departments",
                reason: Reason::new("invalid-no-such-department").with("id", unknown),
            }
            .into());
        }
        let mut w = self.store.begin_write().await?;
        let id = add_person(&mut w, &person).await?;
        w.commit().await?;
        Ok(id)
    }

    /// Every department, with its name.
    pub async fn departments(&self) -> Result<Vec<Department>> {
        Ok(self.store.departments().await?)
    }
}
