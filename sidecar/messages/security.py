"""Sign-in, sessions, secrets and the security log."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
    # The security log (sidecar.security.audit): what happened, one code per action.
    "security.signed_in": N_("Signed in with e-mail and password."),
    "security.sign_in_failed": N_("Sign-in failed: wrong e-mail address or password."),
    "security.sign_in_throttled": N_("Sign-in refused after too many failed attempts; the next "
                                     "attempt is checked in %(seconds)s seconds."),
    "security.signed_out": N_("Signed out; every session of the account ended."),
    "security.wordpress_sign_in": N_("Signed in through the link in WordPress (WordPress user "
                                     "%(wp_user)s)."),
    "security.wordpress_link_refused": N_("A link from WordPress was refused: the WordPress "
                                          "user is not linked to an owner account."),
    "security.secret_rotated": N_("A new %(secret)s secret was made; the old one no longer "
                                  "works."),
    "security.pairing_code_made": N_("A pairing code for the WordPress plugin was made."),
    "security.paired": N_("The WordPress plugin was paired and fetched its secrets."),
    "security.woo_keys_changed": N_("The WooCommerce API keys were changed."),
    "security.woo_url_changed": N_("The shop address was changed from %(from)s to %(to)s."),
    "security.password_changed": N_("The password of %(owner)s was changed; every session of "
                                    "the account ended."),
    "security.wordpress_user_linked": N_("WordPress user %(wp_user)s may now sign in as "
                                         "%(owner)s."),
    # The names of the shop's secrets, inside security.secret_rotated.
    "security.secret.webhook": N_("webhook"),
    "security.secret.link": N_("WordPress link"),
    "security.secret.plugin": N_("plugin API"),
}
