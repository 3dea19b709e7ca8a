<?php
/**
 * Settings registration, validation and rendering.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

final class SettingsTest extends Fortnox_Sidecar_Test_Case {

	public function test_both_options_are_registered_in_one_group_for_shop_managers() {
		$this->assertSame( 'fortnox_sidecar', Fortnox_Test_WP::$registered_settings['fortnox_sidecar_url']['group'] );
		$this->assertSame( 'fortnox_sidecar', Fortnox_Test_WP::$registered_settings['fortnox_sidecar_secret']['group'] );
		$this->assertSame( 'manage_woocommerce', apply_filters( 'option_page_capability_fortnox_sidecar', 'manage_options' ) );

		do_action( 'admin_menu' );
		$pages = array_column( Fortnox_Test_WP::$submenu_pages, null, 'menu_slug' );
		$this->assertSame( 'woocommerce', $pages['fortnox-sidecar']['parent_slug'] );
		$this->assertSame( 'manage_woocommerce', $pages['fortnox-sidecar']['capability'] );
	}

	/**
	 * @dataProvider valid_urls
	 */
	public function test_valid_urls_are_normalized( $typed, $stored ) {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, $typed );

		$this->assertSame( $stored, get_option( Fortnox_Sidecar_Settings::OPTION_URL ) );
		$this->assertSame( array(), Fortnox_Test_WP::$settings_errors );
	}

	public function valid_urls() {
		return array(
			'loopback with port'  => array( 'http://127.0.0.1:8000', 'http://127.0.0.1:8000' ),
			'trailing slash'      => array( ' HTTP://Sidecar.Local:8000/ ', 'http://sidecar.local:8000' ),
			'https with a prefix' => array( 'https://erp.example.com/fortnox/', 'https://erp.example.com/fortnox' ),
		);
	}

	/**
	 * @dataProvider invalid_urls
	 */
	public function test_invalid_urls_are_refused_and_the_old_value_kept( $typed ) {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, 'http://127.0.0.1:8000' );

		update_option( Fortnox_Sidecar_Settings::OPTION_URL, $typed );

		$this->assertSame( 'http://127.0.0.1:8000', get_option( Fortnox_Sidecar_Settings::OPTION_URL ) );
		$this->assertSame( 'fortnox_sidecar_invalid_url', Fortnox_Test_WP::$settings_errors[0]['code'] );
	}

	public function invalid_urls() {
		return array(
			'other scheme'  => array( 'ftp://127.0.0.1:8000' ),
			'javascript'    => array( 'javascript:alert(1)' ),
			'no scheme'     => array( '127.0.0.1:8000' ),
			'credentials'   => array( 'http://user:pw@127.0.0.1:8000' ),
			'query string'  => array( 'http://127.0.0.1:8000/?a=1' ),
			'ipv6 literal'  => array( 'http://[::1]:8000' ),
			'html in path'  => array( 'http://127.0.0.1:8000/"><script>' ),
		);
	}

	public function test_secret_is_write_only_empty_keeps_it() {
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, '' );

		$this->assertSame( self::SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_SECRET ) );
	}

	public function test_secret_with_characters_woocommerce_would_alter_is_refused() {
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );

		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, 'abc&amp;def<ghi>jkl mnop' );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, 'short' );

		$this->assertSame( self::SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_SECRET ) );
		$this->assertSame( array( 'fortnox_sidecar_invalid_secret', 'fortnox_sidecar_invalid_secret' ), array_column( Fortnox_Test_WP::$settings_errors, 'code' ) );
	}

	public function test_page_shows_the_url_but_never_the_secret() {
		Fortnox_Test_WP::login( self::MANAGER );
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );

		$html = $this->capture( array( $this->plugin->settings, 'render_page' ) );

		$this->assertStringContainsString( 'name="fortnox_sidecar_url" value="http://127.0.0.1:8000"', $html );
		$this->assertStringContainsString( 'name="fortnox_sidecar_pairing_code" value=""', $html );
		$this->assertStringContainsString( 'Not paired yet.', $html );
		$this->assertStringNotContainsString( self::SECRET, $html );
		$this->assertStringContainsString( 'name="option_page" value="fortnox_sidecar"', $html );
		$this->assertStringContainsString( '<code>order.created</code>', $html );
	}

	public function test_page_says_when_no_secret_is_set_and_is_empty_for_other_users() {
		Fortnox_Test_WP::login( self::ADMIN );
		$html = $this->capture( array( $this->plugin->settings, 'render_page' ) );
		$this->assertStringContainsString( 'Not paired yet.', $html );

		Fortnox_Test_WP::login( self::AUTHOR );
		$this->assertSame( '', $this->capture( array( $this->plugin->settings, 'render_page' ) ) );
	}

	public function test_a_pairing_code_fetches_the_three_secrets_and_is_not_stored() {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		Fortnox_Test_WP::$remote_response = array(
			'response' => array( 'code' => 200 ),
			'body'     => wp_json_encode(
				array(
					'webhook_secret' => self::SECRET,
					'link_secret'    => self::LINK_SECRET,
					'plugin_secret'  => self::PLUGIN_SECRET,
					'shop'           => 'default',
				)
			),
		);

		update_option( Fortnox_Sidecar_Settings::OPTION_PAIRING_CODE, ' abcd-efgh-jkmn ' );

		$request = Fortnox_Test_WP::$remote_posts[0];
		$this->assertSame( self::SIDECAR_URL . '/api/pair', $request['url'] );
		$this->assertSame( array( 'code' => 'ABCD-EFGH-JKMN' ), json_decode( $request['args']['body'], true ) );
		$this->assertSame( 0, $request['args']['redirection'] );
		$this->assertSame( self::SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_SECRET ) );
		$this->assertSame( self::LINK_SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_LINK_SECRET ) );
		$this->assertSame( self::PLUGIN_SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_PLUGIN_SECRET ) );
		$this->assertSame( '', get_option( Fortnox_Sidecar_Settings::OPTION_PAIRING_CODE, '' ) );
	}

	public function test_a_refused_pairing_code_keeps_the_secrets_and_says_so() {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );
		Fortnox_Test_WP::$remote_response = array( 'response' => array( 'code' => 403 ), 'body' => '{"error":"used"}' );

		update_option( Fortnox_Sidecar_Settings::OPTION_PAIRING_CODE, 'ABCD-EFGH-JKMN' );

		$this->assertSame( self::SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_SECRET ) );
		$this->assertSame( '', get_option( Fortnox_Sidecar_Settings::OPTION_LINK_SECRET, '' ) );
		$this->assertStringContainsString( 'HTTP status 403', Fortnox_Test_WP::$settings_errors[0]['message'] );
	}

	public function test_notices_are_escaped_and_shown_once() {
		Fortnox_Test_WP::login( self::MANAGER );
		set_transient(
			Fortnox_Sidecar_Plugin::NOTICE_TRANSIENT . self::MANAGER,
			array( array( 'type' => 'warning" onmouseover="x', 'message' => 'Sidecar at <img src=x> down' ) ),
			60
		);

		$first  = $this->capture( function () {
			do_action( 'admin_notices' );
		} );
		$second = $this->capture( function () {
			do_action( 'admin_notices' );
		} );

		$this->assertSame( '<div class="notice notice-info is-dismissible"><p>Sidecar at &lt;img src=x&gt; down</p></div>', $first );
		$this->assertSame( '', $second );
	}

	public function test_no_woocommerce_notice_while_woocommerce_is_loaded() {
		$this->assertTrue( class_exists( 'WooCommerce' ) );
		Fortnox_Test_WP::login( self::ADMIN );

		$html = $this->capture( function () {
			do_action( 'admin_notices' );
		} );

		$this->assertSame( '', $html );
		$this->assertSame( 10, has_action( 'admin_notices', array( $this->plugin, 'render_woocommerce_missing' ) ) );
	}
}
