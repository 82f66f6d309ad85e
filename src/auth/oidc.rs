//! Sign-in with the organisation's OpenID provider: authorization code flow with PKCE (S256),
//! `state` and `nonce` checked, the ID token's signature, issuer, audience and expiry verified
//! by `openidconnect`. The provider's metadata and keys are discovered at first use and kept
//! for an hour (so rotated keys are picked up). The HTTP client follows no redirects (a
//! provider's answer cannot send the service elsewhere) and speaks TLS through rustls.

use std::time::{Duration, Instant};

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse, reqwest,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

/// How long discovered metadata (and the provider's keys) are used before asking again.
const METADATA_TTL: Duration = Duration::from_secs(3600);

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

pub struct Provider {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    http: reqwest::Client,
    metadata: RwLock<Option<(CoreProviderMetadata, Instant)>>,
}

/// What the service remembers (in the session) between sending a person to the provider and
/// their return: checked and used once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// Why an OpenID sign-in did not work, in Swedish for the page; details go to the log.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached or answered nonsense: 502.
    #[error("{0}")]
    Unavailable(String),
    /// The answer did not check out (state, code, token): 400.
    #[error("{0}")]
    Refused(String),
}

impl Provider {
    pub fn new(issuer: &str, client_id: &str, secret: Option<&str>) -> Result<Provider, String> {
        let issuer_url = IssuerUrl::new(issuer.trim_end_matches('/').to_string())
            .map_err(|e| format!("--oidc-issuer: ”{issuer}” är ingen URL ({e})"))?;
        if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
            return Err(format!(
                "--oidc-issuer: ”{issuer}” ska börja med https:// (eller http:// för en lokal provider)"
            ));
        }
        let http = reqwest::ClientBuilder::new()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("OIDC: HTTP-klienten kunde inte skapas: {e}"))?;
        Ok(Provider {
            issuer: issuer_url,
            client_id: ClientId::new(client_id.to_string()),
            client_secret: secret
                .filter(|s| !s.is_empty())
                .map(|s| ClientSecret::new(s.to_string())),
            http,
            metadata: RwLock::new(None),
        })
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The provider's metadata, discovered once an hour (or now, when `fresh`).
    async fn metadata(&self, fresh: bool) -> Result<CoreProviderMetadata, OidcError> {
        if !fresh {
            let cached = self.metadata.read().await;
            if let Some((m, at)) = cached.as_ref()
                && at.elapsed() < METADATA_TTL
            {
                return Ok(m.clone());
            }
        }
        let mut cached = self.metadata.write().await;
        let m = CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| {
                tracing::error!("OIDC discovery at {}: {e:?}", self.issuer.as_str());
                OidcError::Unavailable(
                    "Organisationens inloggning svarar inte just nu. Försök igen om en stund."
                        .into(),
                )
            })?;
        *cached = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    fn client(&self, metadata: CoreProviderMetadata, redirect: &str) -> Result<Client, OidcError> {
        let redirect = RedirectUrl::new(redirect.to_string())
            .map_err(|e| OidcError::Unavailable(format!("fel omdirigerings-URL: {e}")))?;
        Ok(CoreClient::from_provider_metadata(
            metadata,
            self.client_id.clone(),
            self.client_secret.clone(),
        )
        .set_redirect_uri(redirect))
    }

    /// Where to send the person, and what to remember until they return.
    pub async fn start(&self, redirect: &str) -> Result<(String, Pending), OidcError> {
        let client = self.client(self.metadata(false).await?, redirect)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("openid".into()))
            .set_pkce_challenge(challenge)
            .url();
        Ok((
            url.to_string(),
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
            },
        ))
    }

    /// Redeems the code for tokens and verifies the ID token; returns its (issuer, subject).
    pub async fn finish(
        &self,
        redirect: &str,
        pending: &Pending,
        code: &str,
    ) -> Result<(String, String), OidcError> {
        let refused = |what: &str, e: &dyn std::fmt::Debug| {
            tracing::warn!("OIDC {what}: {e:?}");
            OidcError::Refused(
                "Svaret från organisationens inloggning kunde inte godtas. Försök logga in igen."
                    .into(),
            )
        };
        let client = self.client(self.metadata(false).await?, redirect)?;
        let request = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Unavailable(format!("providern saknar token-adress: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()));
        let tokens = request
            .request_async(&self.http)
            .await
            .map_err(|e| refused("token request", &e))?;
        let id_token = tokens
            .id_token()
            .ok_or_else(|| refused("token response", &"no ID token"))?;
        let nonce = Nonce::new(pending.nonce.clone());
        let verify = |client: &Client| {
            id_token
                .claims(&client.id_token_verifier(), &nonce)
                .map(|c| (c.issuer().to_string(), c.subject().to_string()))
        };
        match verify(&client) {
            Ok(who) => Ok(who),
            // The provider may have rotated its keys since discovery: look again, once.
            Err(_) if self.keys_may_be_old().await => {
                let client = self.client(self.metadata(true).await?, redirect)?;
                verify(&client).map_err(|e| refused("ID token", &e))
            }
            Err(e) => Err(refused("ID token", &e)),
        }
    }

    async fn keys_may_be_old(&self) -> bool {
        self.metadata
            .read()
            .await
            .as_ref()
            .is_some_and(|(_, at)| at.elapsed() > Duration::from_secs(60))
    }
}
