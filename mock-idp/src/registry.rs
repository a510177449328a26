//! Who exists: registered clients and users. Reads are frequent (every token request) and writes
//! rare (admin API, registration), so both live behind read-mostly locks holding `Arc`s that are
//! cloned out; no lock is held across an await or a signature.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use crate::config::{ClientConfig, UserConfig};

/// A user, with the numeric id the Authlib demo's `/api/me` reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct User {
    pub id: u64,
    #[serde(flatten)]
    pub config: UserConfig,
}

/// Clients and users.
#[derive(Debug, Default)]
pub struct Registry {
    clients: RwLock<BTreeMap<String, Arc<ClientConfig>>>,
    users: RwLock<BTreeMap<String, Arc<User>>>,
    next_user_id: std::sync::atomic::AtomicU64,
}

impl Registry {
    /// A registry holding exactly these clients and users.
    pub fn new(clients: &[ClientConfig], users: &[UserConfig]) -> Self {
        let r = Self::default();
        r.replace(clients, users);
        r
    }

    /// Replaces everything (reset).
    pub fn replace(&self, clients: &[ClientConfig], users: &[UserConfig]) {
        let mut c = self.clients.write().unwrap_or_else(|p| p.into_inner());
        *c = clients
            .iter()
            .map(|x| (x.client_id.clone(), Arc::new(x.clone())))
            .collect();
        let mut u = self.users.write().unwrap_or_else(|p| p.into_inner());
        u.clear();
        self.next_user_id
            .store(1, std::sync::atomic::Ordering::Relaxed);
        for user in users {
            let id = self
                .next_user_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            u.insert(
                user.username.clone(),
                Arc::new(User {
                    id,
                    config: user.clone(),
                }),
            );
        }
    }

    pub fn client(&self, client_id: &str) -> Option<Arc<ClientConfig>> {
        self.clients
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(client_id)
            .cloned()
    }

    pub fn clients(&self) -> Vec<Arc<ClientConfig>> {
        self.clients
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// Adds or replaces a client.
    pub fn put_client(&self, client: ClientConfig) {
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(client.client_id.clone(), Arc::new(client));
    }

    pub fn remove_client(&self, client_id: &str) -> bool {
        self.clients
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(client_id)
            .is_some()
    }

    pub fn user(&self, username: &str) -> Option<Arc<User>> {
        self.users
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(username)
            .cloned()
    }

    pub fn users(&self) -> Vec<Arc<User>> {
        self.users
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// Adds or replaces a user; a replaced user keeps their id.
    pub fn put_user(&self, user: UserConfig) -> Arc<User> {
        let mut users = self.users.write().unwrap_or_else(|p| p.into_inner());
        let id = users.get(&user.username).map(|u| u.id).unwrap_or_else(|| {
            self.next_user_id
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        });
        let user = Arc::new(User { id, config: user });
        users.insert(user.config.username.clone(), user.clone());
        user
    }

    pub fn remove_user(&self, username: &str) -> bool {
        self.users
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(username)
            .is_some()
    }
}
