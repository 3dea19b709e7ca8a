<?php
/**
 * Let WordPress's "safe" HTTP functions reach the sidecar.
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce delivers webhooks and pings with wp_safe_remote_request() /
 * wp_safe_remote_post(), which run wp_http_validate_url(). That function refuses
 * hosts resolving to loopback or private IPv4 ranges unless the filter
 * `http_request_host_is_external` says otherwise, and refuses explicit ports other
 * than 80, 443 and 8080 unless `http_allowed_safe_ports` adds them. A sidecar at
 * http://127.0.0.1:8000 fails both checks, so every delivery would fail and
 * WooCommerce would disable the webhooks.
 *
 * The allowance is exactly the sidecar's origin: a safe request passes only when its
 * URL has the sidecar's scheme, host and port (the scheme's default port when the
 * sidecar URL names none). Another port on the same host, or the other scheme, is left
 * as WordPress and other plugins decided, and so is every other host.
 */
class Fortnox_Sidecar_Http_Access {

	/**
	 * Settings.
	 *
	 * @var Fortnox_Sidecar_Settings
	 */
	private $settings;

	/**
	 * Constructor.
	 *
	 * @param Fortnox_Sidecar_Settings $settings Settings.
	 */
	public function __construct( Fortnox_Sidecar_Settings $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hook into WordPress.
	 */
	public function register() {
		add_filter( 'http_request_host_is_external', array( $this, 'allow_sidecar_host' ), 10, 3 );
		add_filter( 'http_allowed_safe_ports', array( $this, 'allow_sidecar_port' ), 10, 3 );
	}

	/**
	 * Filter `http_request_host_is_external`: true for a URL on the sidecar's origin.
	 *
	 * @param bool   $is_external Current decision.
	 * @param string $host        Requested host.
	 * @param string $url         Requested URL.
	 * @return bool
	 */
	public function allow_sidecar_host( $is_external, $host = '', $url = '' ) {
		if ( $this->is_sidecar_origin( $host, $url ) ) {
			return true;
		}
		return $is_external;
	}

	/**
	 * Filter `http_allowed_safe_ports`: add the sidecar's port for a URL on its origin.
	 *
	 * @param int[]  $ports Allowed ports.
	 * @param string $host  Requested host.
	 * @param string $url   Requested URL.
	 * @return int[]
	 */
	public function allow_sidecar_port( $ports, $host = '', $url = '' ) {
		$port = $this->settings->get_port();
		if ( null === $port || ! is_array( $ports ) || ! $this->is_sidecar_origin( $host, $url ) ) {
			return $ports;
		}
		if ( ! in_array( $port, $ports, true ) ) {
			$ports[] = $port;
		}
		return $ports;
	}

	/**
	 * Scheme, host and port of a URL, the port defaulted by the scheme.
	 *
	 * @param mixed $url URL.
	 * @return array|null
	 */
	private static function origin( $url ) {
		if ( ! is_string( $url ) || '' === $url ) {
			return null;
		}
		$parts = wp_parse_url( $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return null;
		}
		$scheme = strtolower( $parts['scheme'] );
		$port   = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'https' === $scheme ? 443 : 80 );
		return array( $scheme, strtolower( trim( $parts['host'], '.' ) ), $port );
	}

	/**
	 * Whether a request goes to exactly the configured sidecar's scheme, host and port.
	 *
	 * @param mixed $host Host as WordPress passes it.
	 * @param mixed $url  URL as WordPress passes it.
	 * @return bool
	 */
	private function is_sidecar_origin( $host, $url ) {
		$sidecar   = self::origin( $this->settings->get_url() );
		$requested = self::origin( $url );
		if ( null === $sidecar || null === $requested || ! is_string( $host ) ) {
			return false;
		}
		return $sidecar === $requested && strtolower( trim( $host, '.' ) ) === $sidecar[1];
	}
}
