<?php
/**
 * The two HMAC signatures the sidecar verifies.
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * Signs what the plugin sends to the sidecar with the shared secret.
 *
 * Both signatures use HMAC-SHA256 keyed with the shared secret exactly as stored
 * (no entity decoding, unlike WooCommerce's own webhook signature).
 */
final class Fortnox_Sidecar_Signature {

	/**
	 * The message signed for the settings-page link.
	 *
	 * @param int $user_id WordPress user ID.
	 * @param int $expires Unix time after which the link is refused.
	 * @return string
	 */
	public static function link_message( $user_id, $expires ) {
		return 'wp_user=' . (int) $user_id . '&expires=' . (int) $expires;
	}

	/**
	 * Signature of the settings-page link: lowercase hex HMAC-SHA256.
	 *
	 * @param string $secret  Shared secret.
	 * @param int    $user_id WordPress user ID.
	 * @param int    $expires Unix time after which the link is refused.
	 * @return string 64 lowercase hex characters.
	 */
	public static function link_signature( $secret, $user_id, $expires ) {
		return hash_hmac( 'sha256', self::link_message( $user_id, $expires ), (string) $secret );
	}

	/**
	 * Signature of a request body: base64 of the raw HMAC-SHA256 digest.
	 *
	 * This is the same construction WooCommerce uses for X-WC-Webhook-Signature,
	 * so the sidecar can verify both with one function.
	 *
	 * @param string $secret Shared secret.
	 * @param string $body   The exact bytes sent.
	 * @return string
	 */
	public static function body_signature( $secret, $body ) {
		// phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- an HMAC digest, not obfuscation.
		return base64_encode( hash_hmac( 'sha256', (string) $body, (string) $secret, true ) );
	}
}
