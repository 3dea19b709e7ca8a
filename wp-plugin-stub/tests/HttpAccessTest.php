<?php
/**
 * Host and port allowance for the sidecar.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

final class HttpAccessTest extends Fortnox_Sidecar_Test_Case {

	protected function setUp(): void {
		parent::setUp();
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );
	}

	public function test_host_filter_is_true_only_for_the_sidecar_host() {
		$url = self::SIDECAR_URL . '/webhooks/woocommerce';

		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, '127.0.0.1', $url ) );
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, '127.0.0.1.', $url ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '127.0.0.2', 'http://127.0.0.2:8000/' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '192.168.1.10', 'http://192.168.1.10/' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '', '' ) );
	}

	public function test_only_the_sidecars_scheme_host_and_port_are_allowed() {
		foreach ( array( 'http://127.0.0.1/', 'http://127.0.0.1:80/', 'https://127.0.0.1:443/', 'http://127.0.0.1:8080/', 'https://127.0.0.1:8000/', 'http://127.0.0.1:8001/' ) as $url ) {
			$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '127.0.0.1', $url ), $url );
			$this->assertSame( array( 80, 443, 8080 ), apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), '127.0.0.1', $url ), $url );
			$this->assertFalse( fortnox_test_validate_url( $url ), $url );
		}
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, '127.0.0.1', 'http://127.0.0.1:8000/anything' ) );
	}

	public function test_a_sidecar_url_without_a_port_allows_its_schemes_default_port_only() {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, 'https://sidecar.internal' );

		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal/webhooks/woocommerce' ) );
		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal:443/x' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'http://sidecar.internal/x' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal', 'https://sidecar.internal:8443/x' ) );
	}

	public function test_host_filter_leaves_other_decisions_alone() {
		$this->assertTrue( apply_filters( 'http_request_host_is_external', true, '10.1.2.3', 'http://10.1.2.3/' ) );
	}

	public function test_host_filter_matches_host_names_case_insensitively() {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, 'http://Sidecar.Internal:8000' );

		$this->assertTrue( apply_filters( 'http_request_host_is_external', false, 'SIDECAR.internal', 'http://SIDECAR.internal:8000/' ) );
		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, 'sidecar.internal.evil', 'http://sidecar.internal.evil:8000/' ) );
	}

	public function test_port_filter_adds_the_sidecar_port_for_the_sidecar_host_only() {
		$defaults = array( 80, 443, 8080 );

		$this->assertSame( array( 80, 443, 8080, 8000 ), apply_filters( 'http_allowed_safe_ports', $defaults, '127.0.0.1', self::SIDECAR_URL . '/x' ) );
		$this->assertSame( $defaults, apply_filters( 'http_allowed_safe_ports', $defaults, 'example.org', 'http://example.org:8000/' ) );
		$this->assertSame( $defaults, apply_filters( 'http_allowed_safe_ports', $defaults ) );
	}

	public function test_port_filter_adds_nothing_when_the_url_has_no_port() {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, 'https://sidecar.example.com' );

		$this->assertSame( array( 80, 443, 8080 ), apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), 'sidecar.example.com', 'https://sidecar.example.com/' ) );
	}

	public function test_filters_do_nothing_when_no_sidecar_is_set() {
		delete_option( Fortnox_Sidecar_Settings::OPTION_URL );

		$this->assertFalse( apply_filters( 'http_request_host_is_external', false, '127.0.0.1', self::SIDECAR_URL ) );
		$this->assertSame( array( 80, 443, 8080 ), apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), '127.0.0.1', self::SIDECAR_URL ) );
	}

	public function test_wordpress_url_check_passes_for_the_sidecar_and_nothing_else() {
		$this->assertSame( self::SIDECAR_URL . '/webhooks/woocommerce', fortnox_test_validate_url( self::SIDECAR_URL . '/webhooks/woocommerce' ) );
		$this->assertFalse( fortnox_test_validate_url( 'http://127.0.0.1:9000/webhooks/woocommerce' ) );
		$this->assertFalse( fortnox_test_validate_url( 'http://10.0.0.8:8000/webhooks/woocommerce' ) );
	}

	public function test_wordpress_url_check_fails_without_the_plugin() {
		Fortnox_Test_WP::$hooks = array();

		$this->assertFalse( fortnox_test_validate_url( self::SIDECAR_URL . '/webhooks/woocommerce' ) );
	}
}
