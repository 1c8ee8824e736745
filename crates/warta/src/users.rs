//! `warta user`: newsroom accounts from the command line (the first admin, password
//! resets, disabling an account). A password comes from standard input when it is
//! not a terminal (`--password-stdin`), else a new one is made and printed once.

use std::io::BufRead;

use anyhow::{Context, bail};
use warta_core::newsroom::Role;
use warta_store::Store;

pub struct UserArgs {
    pub action: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: String,
    pub password_stdin: bool,
}

/// A password: the first line of standard input, or a new random one (printed).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        let p = line.trim_end_matches(['\r', '\n']).to_owned();
        warta_web::admin::auth::check_new_password(&p).map_err(anyhow::Error::msg)?;
        return Ok((p, false));
    }
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let p = b
        .iter()
        .map(|x| ALPHABET[usize::from(*x) % ALPHABET.len()] as char)
        .collect();
    Ok((p, true))
}

pub async fn user(store: &Store, args: UserArgs) -> anyhow::Result<()> {
    let email = || {
        args.email
            .clone()
            .filter(|e| !e.trim().is_empty())
            .ok_or_else(|| {
                anyhow::anyhow!("user {}: give the account's e-mail address", args.action)
            })
    };
    match args.action.as_str() {
        "add" => {
            let email = email()?;
            let role = Role::parse(&args.role).ok_or_else(|| {
                anyhow::anyhow!(
                    "user add: --role must be contributor, editor or admin, not `{}`",
                    args.role
                )
            })?;
            let name = args
                .name
                .clone()
                .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_owned());
            let (pw, made) = password(args.password_stdin)?;
            let hash = warta_web::admin::auth::hash_password(&pw).map_err(anyhow::Error::msg)?;
            let u = store
                .add_user(&email, &name, role, &hash, None, chrono::Utc::now())
                .await?;
            say!("added {} ({}) as {}", u.email, u.name, u.role.as_str());
            if made {
                crate::show_secret(&format!("password: {pw}"))?;
                eprintln!("the password is shown only now; log in at /admin/login");
            }
        }
        "reset-password" => {
            let email = email()?;
            let (pw, made) = password(args.password_stdin)?;
            let hash = warta_web::admin::auth::hash_password(&pw).map_err(anyhow::Error::msg)?;
            if !store.set_password(&email, &hash).await? {
                bail!("user reset-password: there is no account {email}");
            }
            say!("new password set for {email}; its sessions are ended");
            if made {
                crate::show_secret(&format!("password: {pw}"))?;
            }
        }
        "disable" | "enable" => {
            let email = email()?;
            let disable = args.action == "disable";
            if !store.set_disabled(&email, disable).await? {
                bail!("user {}: there is no account {email}", args.action);
            }
            say!(
                "{email} {}",
                if disable {
                    "disabled; its sessions are ended"
                } else {
                    "enabled"
                }
            );
        }
        _ => {
            for u in store.users().await? {
                say!(
                    "{}\t{}\t{}\t{}{}",
                    u.id,
                    u.email,
                    u.name,
                    u.role.as_str(),
                    if u.disabled { "\tdisabled" } else { "" }
                );
            }
        }
    }
    Ok(())
}
