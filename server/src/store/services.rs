//! The services members have with the provider, as the host platform syncs them.

use app::protocol::{MemberService, ServiceStatus, ServiceUpsert, UserId};
use sqlx::Row;

use super::{Result, Store, tickets::decode_err};

impl Store {
    /// Member `id`'s services, by name.
    pub async fn member_services(&self, id: UserId) -> Result<Vec<MemberService>> {
        sqlx::query(
            "SELECT external_id, name, kind, address, status FROM member_services \
             WHERE user_id = $1 ORDER BY name, external_id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(MemberService {
                id: row.try_get("external_id")?,
                service: ServiceUpsert {
                    name: row.try_get("name")?,
                    kind: row.try_get("kind")?,
                    address: row.try_get("address")?,
                    status: ServiceStatus::parse(&status)
                        .ok_or_else(|| decode_err(format!("service {status}")))?,
                },
            })
        })
        .collect()
    }

    /// Sets member `id`'s service `service_id` as `service` says.
    pub async fn upsert_service(
        &self,
        id: UserId,
        service_id: &str,
        service: &ServiceUpsert,
        now: i64,
    ) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO member_services (user_id, external_id, name, kind, address, status, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id, external_id) \
             DO UPDATE SET name = $3, kind = $4, address = $5, status = $6, updated_at = $7",
        )
        .bind(id.0)
        .bind(service_id)
        .bind(&service.name)
        .bind(&service.kind)
        .bind(service.address.as_deref())
        .bind(service.status.as_str())
        .bind(now)
        .execute(w.conn())
        .await?;
        w.commit().await
    }

    /// Removes member `id`'s service `service_id` (nothing when there is none).
    pub async fn remove_service(&self, id: UserId, service_id: &str) -> Result<()> {
        let mut w = self.begin_write().await?;
        sqlx::query("DELETE FROM member_services WHERE user_id = $1 AND external_id = $2")
            .bind(id.0)
            .bind(service_id)
            .execute(w.conn())
            .await?;
        w.commit().await
    }
}
