// A real OpenID Connect provider (npm oidc-provider) for the single sign-on tests.
//
// Started by the `oidc_provider` fixture (tests/oidc/conftest.py) on a free port:
//   PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, POST_LOGOUT_REDIRECT_URI and USERS
//   (JSON: {"alice": {"email": ..., "email_verified": true, "amr": ["pwd", "mfa"]}}).
// There is no login screen: the test signs a person in by opening the interaction
// page with ?user=<id> (devInteractions are off). Consent is given for the test client.
// It prints "ready <issuer>" once it listens, and stops on SIGTERM.
import crypto from "node:crypto";

import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const users = JSON.parse(process.env.USERS || "{}");

// A fresh signing key for every run: the app must read it from the JWKS endpoint.
const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: "jwk" }), kid: crypto.randomUUID(), use: "sig", alg: "RS256" };

const configuration = {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      post_logout_redirect_uris: [process.env.POST_LOGOUT_REDIRECT_URI],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: [crypto.randomBytes(32).toString("hex")] },
  claims: {
    // acr, amr and auth_time in every ID token, as the login result set them.
    openid: ["sub", "acr", "amr", "auth_time"],
    // xms_edov: how Microsoft Entra ID vouches for an address (it sends no email_verified).
    email: ["email", "email_verified", "xms_edov"],
    profile: ["name", "given_name", "family_name"],
  },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const user = users[id];
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        const { email, email_verified, xms_edov } = user;
        return { sub: id, email, email_verified, xms_edov, name: user.name || id };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // First-party test client: consent is implied, so no consent prompt follows the login.
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) return Grant.find(existing);
    const grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);

// The minimal interaction endpoint: signs in the person named by ?user= with their amr/acr.
provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  const id = ctx.query.user;
  const user = users[id];
  if (details.prompt.name !== "login" || !user) {
    ctx.status = 400;
    ctx.body = `Interaction ${details.prompt.name}: open it with ?user=<one of ${Object.keys(users).join(", ")}>`;
    return undefined;
  }
  const login = { accountId: id, amr: user.amr || ["pwd"] };
  if (user.acr) login.acr = user.acr;
  const url = await provider.interactionResult(ctx.req, ctx.res, { login }, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(url);
  return undefined;
});

const server = provider.listen(port, "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
