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
 * Limits of this allowance:
 * - it is per host: any safe request to the sidecar's host (any path, any scheme)
 *   passes the host check, not only webhook deliveries;
 * - the port is added only when WordPress passes the requested host to
 *   `http_allowed_safe_ports` and it is the sidecar's host (WordPress 5.9+ passes
 *   it; older versions have no such filter and only allow 80, 443 and 8080). The
 *   filter cannot see the scheme, so the port is allowed for http and https alike;
 * - other hosts are left exactly as WordPress and other plugins decided.
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
	 * Filter `http_request_host_is_external`: true for the sidecar's host.
	 *
	 * @param bool   $is_external Current decision.
	 * @param string $host        Requested host.
	 * @param string $url         Requested URL.
	 * @return bool
	 */
	public function allow_sidecar_host( $is_external, $host = '', $url = '' ) {
		unset( $url );
		if ( $this->is_sidecar_host( $host ) ) {
			return true;
		}
		return $is_external;
	}

	/**
	 * Filter `http_allowed_safe_ports`: add the sidecar's port for the sidecar's host.
	 *
	 * @param int[]  $ports Allowed ports.
	 * @param string $host  Requested host.
	 * @param string $url   Requested URL.
	 * @return int[]
	 */
	public function allow_sidecar_port( $ports, $host = '', $url = '' ) {
		unset( $url );
		$port = $this->settings->get_port();
		if ( null === $port || ! is_array( $ports ) || ! $this->is_sidecar_host( $host ) ) {
			return $ports;
		}
		if ( ! in_array( $port, $ports, true ) ) {
			$ports[] = $port;
		}
		return $ports;
	}

	/**
	 * Whether a host is the configured sidecar's host.
	 *
	 * @param mixed $host Host as WordPress passes it.
	 * @return bool
	 */
	private function is_sidecar_host( $host ) {
		$sidecar = $this->settings->get_host();
		if ( '' === $sidecar || ! is_string( $host ) || '' === $host ) {
			return false;
		}
		return strtolower( trim( $host, '.' ) ) === $sidecar;
	}
}
