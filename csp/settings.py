"""Settings for the CSP action plans app, read from the environment (12-factor).

Development needs nothing set. Production sets at least DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL; see README.md "Production".
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name, default):
    """Read a yes/no variable; a typo must stop the start, not quietly mean "no"."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of yes/no, true/false, on/off, 1/0, not {value!r}.")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    # Development only: never used with DEBUG off (see the check above).
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = os.environ.get("SITE_NAME", "Community Safety Action Plans")
# Links in emails are built on this. Unset in development, it follows the port `make run`
# serves on (PORT), so a reminder's links open the running server.
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "django_filters",
    "django_tasks_db",
    "partners",
    "plans",
    "actions",
    # Above the apps: the cross-app loaders and their commands (load_seed, load_demo, …).
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: a person who owes a second factor sees only its pages.
    "partners.middleware.TwoFactorMiddleware",
    "csp.middleware.private_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts raised below into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csp.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.site",
            ],
            "builtins": ["actions.templatetags.rag"],
        },
    },
]

WSGI_APPLICATION = "csp.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (a web worker and a PDF render) must wait for each other, not fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    _pg_options = []
    if env_bool("DB_JIT_OFF", True):
        # No JIT compilation: the pages' queries are short, and at national size their estimated
        # cost passes jit_above_cost, so PostgreSQL spent 200 ms compiling a 3 ms search
        # (docs/performance.md).
        _pg_options.append("-c jit=off")
    if env_bool("DB_PARALLEL_OFF", True):
        # No parallel workers: a page's query that stops at a LIMIT (the county user's search
        # walks the newest notes until it has 1,000 matches) took twice as long with two
        # workers started for it, which also take the cores the other requests need
        # (docs/performance.md, "Search at national size").
        _pg_options.append("-c max_parallel_workers_per_gather=0")
    if _pg_options:
        # Behind PgBouncer, which refuses this start-up parameter, set DB_JIT_OFF=0 and
        # DB_PARALLEL_OFF=0 and set both on the database instead (docs/deployment.md).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", " ".join(_pg_options))

# Throttles (password resets) count in the database, shared by every web worker; the
# table comes from `manage.py createcachetable` (make migrate; the tests make it themselves).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "csp_throttle",
        "TIMEOUT": 3600,
        # Room enough that a flood of new keys cannot cull the counts being kept.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "partners.User"

# Single sign-on with OpenID Connect (docs/single-sign-on.md): on when a client id is set.
# The provider's endpoints come from OIDC_OP_ISSUER's .well-known/openid-configuration, read at
# the first sign-in; an endpoint set here overrides the discovered one.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
# The provider's end_session_endpoint: signing out here signs out there too. Discovered when unset.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
if SSO_ENABLED and not OIDC_RP_CLIENT_SECRET:
    raise ImproperlyConfigured("OIDC_RP_CLIENT_SECRET must be set with OIDC_RP_CLIENT_ID.")
if SSO_ENABLED and not OIDC_OP_ISSUER:
    # Needed even with every endpoint given: the ID token's issuer is checked against it.
    raise ImproperlyConfigured("Single sign-on needs OIDC_OP_ISSUER, the provider's issuer URL.")
# Shown on the sign-in button: "Sign in with Hertsmere Borough Council".
SSO_PROVIDER_NAME = os.environ.get("SSO_PROVIDER_NAME", "your organisation's account")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
# Never create accounts: a person is matched to the account an administrator invited.
OIDC_CREATE_USER = False
# Kept for the provider's sign-out (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = int(os.environ.get("OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# The claims (ID token or userinfo) any of which, when true, vouches for the email address.
# Microsoft Entra ID sends no email_verified: use its optional claim xms_edov there.
SSO_EMAIL_VERIFIED_CLAIMS = env_list("SSO_EMAIL_VERIFIED_CLAIMS", "email_verified")
# The provider has checked a second factor when its ID token's amr holds one of these
# (RFC 8176; Microsoft Entra ID sends "mfa") or its acr is one of SSO_MFA_ACR; then the app's
# own second factor is not asked for again.
SSO_MFA_AMR = env_list("SSO_MFA_AMR", "mfa,mca,otp,hwk,swk,sc")
SSO_MFA_ACR = env_list("SSO_MFA_ACR")

# Passwords kept by this app. Off: people sign in only by single sign-on; the password,
# reset and change pages are gone (break-glass: docs/single-sign-on.md).
LOCAL_PASSWORDS = env_bool("LOCAL_PASSWORDS", True)
if not LOCAL_PASSWORDS and not SSO_ENABLED:
    raise ImproperlyConfigured("LOCAL_PASSWORDS=0 needs single sign-on (OIDC_RP_CLIENT_ID and the provider).")

AUTHENTICATION_BACKENDS = [
    # First, as django-axes asks, so a locked-out sign-in is refused before checking the password.
    "axes.backends.AxesStandaloneBackend",
    *(["django.contrib.auth.backends.ModelBackend"] if LOCAL_PASSWORDS else []),
    *(["partners.sso.SsoBackend"] if SSO_ENABLED else []),
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity: each request pushes the expiry on.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 2)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: partners share office networks, so lock on username and IP together.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Single sign-on callbacks are not password guesses (partners/sso.py).
AXES_WHITELIST_CALLABLE = "partners.sso.axes_whitelisted"

# Two-factor authentication (partners/twofactor.py). When on, administrators, chairs and
# superusers must use an authenticator app; a partnership may require it of everyone.
# Off by default in development so the demo logins work with a password alone.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = SITE_NAME
# Passkeys and security keys (django-otp-webauthn) as the second factor, never instead of the
# password. The relying party is this site's host name (from SITE_URL unless set); a passkey
# works only on the origins listed (scheme, host and port).
# Passkeys need a host name served over HTTPS, or localhost (not 127.0.0.1): in development
# they work at http://localhost:8000.
_passkey_origin = SITE_URL.rstrip("/")
if not _passkey_origin.startswith(("https://", "http://localhost")):
    _passkey_origin = "http://localhost:8000"
OTP_WEBAUTHN_RP_ID = os.environ.get("OTP_WEBAUTHN_RP_ID", urlsplit(_passkey_origin).hostname)
OTP_WEBAUTHN_RP_NAME = SITE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("OTP_WEBAUTHN_ALLOWED_ORIGINS", _passkey_origin)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# How many one-time recovery codes a person gets at a time.
TWO_FACTOR_RECOVERY_CODES = int(os.environ.get("TWO_FACTOR_RECOVERY_CODES", "10"))

# Accounts that end: people not signed in for DORMANT_AFTER_DAYS are flagged on the people
# pages; DEACTIVATE_AFTER_DORMANT_DAYS later `manage.py deactivate_dormant_accounts` deactivates them.
DORMANT_AFTER_DAYS = int(os.environ.get("DORMANT_AFTER_DAYS", "90"))
DEACTIVATE_AFTER_DORMANT_DAYS = int(os.environ.get("DEACTIVATE_AFTER_DORMANT_DAYS", "30"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Every file the app writes (frozen packs, kept uploads, stored PDFs) goes through the default
# storage, so web and worker machines see the same files: the local MEDIA_ROOT on one machine,
# an S3-compatible bucket (django-storages; `pip install boto3`) for several (docs/deployment.md).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("STORAGE_BUCKET", ""),
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            "access_key": os.environ.get("STORAGE_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("STORAGE_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("STORAGE_PREFIX", ""),
            # Files are never public: the app streams them after checking who asks.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs STORAGE_BUCKET.")
elif STORAGE_BACKEND == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3, not {STORAGE_BACKEND!r}.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Django 6.1 mailers. Development prints mail (password resets, invitations) to the console.
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
# GOV.UK Notify (EMAIL_BACKEND=django_gov_notify.backends.NotifyEmailBackend): the API key and
# the id of a Notify template whose subject is ((subject)) and body ((body)). Notify sends
# the text part only. See docs/update-rounds.md "Email".
GOVUK_NOTIFY_API_KEY = os.environ.get("GOVUK_NOTIFY_API_KEY", "")
GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = os.environ.get("GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID", "")
if _email_backend.endswith("NotifyEmailBackend") and not (
    GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID
):
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is GOV.UK Notify: set GOVUK_NOTIFY_API_KEY and GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID."
    )
# Update rounds: reminders this many days before the deadline (a round may choose others).
ROUND_REMINDER_DAYS = [int(d) for d in env_list("ROUND_REMINDER_DAYS", "7,2")]
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "csp-actions@localhost")

# Security. Scripts and styles only from our own origin; the nonce lets the
# one inline script (the govuk-frontend initialiser) run.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if SSO_ENABLED:
    # Signing out posts here, then redirects to the provider's end_session_endpoint: browsers
    # apply form-action to that redirect too.
    from urllib.parse import urlsplit

    _provider = urlsplit(OIDC_OP_LOGOUT_ENDPOINT or OIDC_OP_ISSUER)
    SECURE_CSP["form-action"].append(f"{_provider.scheme}://{_provider.netloc}")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Uploads (imports): refuse big files before they reach memory.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Budgets checked before and while a file is read, so a hostile file is refused in moments:
# what a workbook or Word file may unpack to, how much bigger than the upload that may be,
# and how many rows (per sheet) and cells (per file) are read at most.
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_ZIP_RATIO = int(os.environ.get("IMPORT_MAX_ZIP_RATIO", "100"))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "30000"))
IMPORT_MAX_CELLS = int(os.environ.get("IMPORT_MAX_CELLS", "600000"))
# Imports of at least this many rows are saved by a background task while the page shows progress.
IMPORT_BACKGROUND_MIN_ROWS = int(os.environ.get("IMPORT_BACKGROUND_MIN_ROWS", "500"))
# A background import whose progress has not moved for this long has lost its worker (the schedule
# then queues it again once, or reports it failed).
IMPORT_JOB_STUCK_SECONDS = int(os.environ.get("IMPORT_JOB_STUCK_SECONDS", str(15 * 60)))
# A roll-over carrying more actions than this is done by a background task while a page
# follows it; up to this many are carried while the browser waits. Each carried action costs
# about 57 queries (its copy, owners, measures and their history): 20 took 1.1 - 1.4 s on
# PostgreSQL on a busy 2-core machine, 500 took 36 - 50 s (docs/performance.md, "Roll-over").
ROLL_OVER_DIRECT_MAX_ACTIONS = int(os.environ.get("ROLL_OVER_DIRECT_MAX_ACTIONS", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background PDF renders (packs, prepared PDFs) run in a child process of the task worker
# with these limits (see plans/pdf/render.py).
PDF_RENDER_TIMEOUT = int(os.environ.get("PDF_RENDER_TIMEOUT", "300"))
PDF_RENDER_MEMORY_MB = int(os.environ.get("PDF_RENDER_MEMORY_MB", "1500"))
# A PDF rendered while the browser waits (in the web process, within the direct limits
# below, which keep it to a few seconds) is told to come back after this many seconds when
# every slot is busy, ...
PDF_DIRECT_TIMEOUT = int(os.environ.get("PDF_DIRECT_TIMEOUT", "20"))
# ... and is stopped (partners.pdf.RenderGuard) after PDF_DIRECT_TIMEOUT seconds (keep it well
# below gunicorn's --timeout, 60 in the README) or once it has grown the web worker's resident
# memory by this many MB. At the budget's edge (150 actions, 300 updates) a fresh worker's
# first render grew it by 70 MB, later ones by 0-6 MB; twice the budget's updates, 102 MB
# (tests/benchmarks/bench_direct_memory.py, docs/performance.md).
PDF_DIRECT_MAX_MEMORY_MB = int(os.environ.get("PDF_DIRECT_MAX_MEMORY_MB", "200"))
# How many direct PDF renders run at once on this machine (all its web workers); a direct
# PDF finding them all busy is told to try again shortly. Background
# renders and imports are bounded by the number of task workers instead.
HEAVY_WORK_SLOTS = int(os.environ.get("HEAVY_WORK_SLOTS", "2"))
# Where the slots' lock files live: a local folder of this machine (default MEDIA_ROOT/locks),
# never shared storage: the slots count this machine's renders.
HEAVY_WORK_LOCK_DIR = os.environ.get("HEAVY_WORK_LOCK_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "csp.log_filters.RedactTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # runserver's request lines, through the handler that hides feed tokens.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
# A plan PDF with more actions than this is not rendered while the browser waits: it is
# prepared by a task worker (a PdfRequest) and downloaded from its page.
PDF_DIRECT_MAX_ACTIONS = int(os.environ.get("PDF_DIRECT_MAX_ACTIONS", "150"))
# ... nor with more updates or characters of text than these: the work is the text printed.
# 480 updates (46,000 characters) took 6-7.5 s with two renders at once on a quiet 2-core
# machine, so 300 updates keep a render to a few seconds; Hertsmere 2019-2020 (158 updates,
# about 20,000 characters) stays well inside (docs/performance.md).
PDF_DIRECT_MAX_UPDATES = int(os.environ.get("PDF_DIRECT_MAX_UPDATES", "300"))
PDF_DIRECT_MAX_CHARACTERS = int(os.environ.get("PDF_DIRECT_MAX_CHARACTERS", "60000"))
# Tests render the task worker's PDFs in the test process, synchronously; never set this in
# production.
PDF_RENDER_IN_PROCESS = env_bool("PDF_RENDER_IN_PROCESS", False)
# Plans with at least this many actions render on every core, a priority per process,
# merged afterwards into one tagged PDF (faster and less memory). 0: never.
PDF_PARALLEL_MIN_ACTIONS = int(os.environ.get("PDF_PARALLEL_MIN_ACTIONS", "200"))

# Background work (packs, large imports) is queued in the database (django-tasks-db) and run
# by `manage.py db_worker`: how many run at once is the number of workers (docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task still "running" this long after it started has lost its worker (killed, machine
# gone): the schedule (`run_schedule`) marks it failed, or queues it again once.
TASK_STALE_SECONDS = int(os.environ.get("TASK_STALE_SECONDS", str(PDF_RENDER_TIMEOUT + 120)))
# A PDF prepared in the background for one person (PdfRequest) is removed, file and all,
# this many days after it was asked for (the schedule's remove_old_pdfs job).
PDF_REQUEST_KEEP_DAYS = int(os.environ.get("PDF_REQUEST_KEEP_DAYS", "7"))
# Finished task results are kept this many days, then removed by the schedule.
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("TASK_RESULTS_KEEP_DAYS", "14"))
