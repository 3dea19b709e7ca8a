<?php
/**
 * The "Fortnox" menu entry and the signed link.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

/** The handler without the exit after the redirect. */
final class Fortnox_Test_Admin_Link extends Fortnox_Sidecar_Admin_Link {
	public $finished = 0;
	protected function finish() {
		++$this->finished;
	}
}

final class AdminLinkTest extends Fortnox_Sidecar_Test_Case {

	/** @var Fortnox_Test_Admin_Link */
	private $link;

	protected function setUp(): void {
		parent::setUp();
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );
		update_option( Fortnox_Sidecar_Settings::OPTION_LINK_SECRET, self::LINK_SECRET );
		$this->link = new Fortnox_Test_Admin_Link( $this->plugin->settings );
	}

	private function send_nonce( $action = Fortnox_Sidecar_Admin_Link::ACTION ) {
		$_REQUEST['_wpnonce'] = wp_create_nonce( $action );
		$_GET['_wpnonce']     = $_REQUEST['_wpnonce'];
	}

	public function test_menu_entry_links_to_the_nonce_protected_action() {
		Fortnox_Test_WP::login( self::MANAGER );

		do_action( 'admin_menu' );

		$this->assertCount( 1, Fortnox_Test_WP::$menu_pages );
		$page = Fortnox_Test_WP::$menu_pages[0];
		$this->assertSame( 'Fortnox', $page['menu_title'] );
		$this->assertSame( 'manage_woocommerce', $page['capability'] );
		$this->assertSame( '', $page['callback'] );
		$this->assertSame( 1, preg_match( '/^admin-post\.php\?action=fortnox_sidecar_open&_wpnonce=([0-9a-f]+)$/', $page['menu_slug'], $m ) );
		$this->assertSame( 1, wp_verify_nonce( $m[1], 'fortnox_sidecar_open' ) );
	}

	public function test_no_menu_entry_without_manage_woocommerce() {
		Fortnox_Test_WP::login( self::AUTHOR );

		do_action( 'admin_menu' );

		$this->assertSame( array(), Fortnox_Test_WP::$menu_pages );
	}

	public function test_redirects_to_a_link_signed_for_sixty_seconds() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->send_nonce();

		$before = time();
		$this->link->handle_open();
		$after = time();

		$this->assertCount( 1, Fortnox_Test_WP::$redirects );
		$this->assertSame( 1, $this->link->finished );
		$location = Fortnox_Test_WP::$redirects[0]['location'];
		$this->assertStringStartsWith( self::SIDECAR_URL . '/auth/wordpress?', $location );

		parse_str( (string) parse_url( $location, PHP_URL_QUERY ), $query );
		$this->assertSame( array( 'wp_user', 'expires', 'sig' ), array_keys( $query ) );
		$this->assertSame( (string) self::MANAGER, $query['wp_user'] );
		$expires = (int) $query['expires'];
		$this->assertGreaterThanOrEqual( $before + 60, $expires );
		$this->assertLessThanOrEqual( $after + 60, $expires );

		$expected = hash_hmac( 'sha256', 'wp_user=' . self::MANAGER . '&expires=' . $expires, self::LINK_SECRET );
		$this->assertSame( $expected, $query['sig'] );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{64}$/', $query['sig'] );
	}

	public function test_signed_url_for_a_fixed_time() {
		$url = $this->link->signed_url( 7, 1700000000 );

		$sig = hash_hmac( 'sha256', 'wp_user=7&expires=1700000060', self::LINK_SECRET );
		$this->assertSame( self::SIDECAR_URL . '/auth/wordpress?wp_user=7&expires=1700000060&sig=' . $sig, $url );
	}

	public function test_refused_without_manage_woocommerce_even_with_a_nonce() {
		Fortnox_Test_WP::login( self::AUTHOR );
		$this->send_nonce();

		try {
			$this->link->handle_open();
			$this->fail( 'Expected wp_die.' );
		} catch ( Fortnox_Test_WP_Die $e ) {
			$this->assertSame( 403, $e->getCode() );
		}
		$this->assertSame( array(), Fortnox_Test_WP::$redirects );
	}

	public function test_refused_without_a_valid_nonce() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->send_nonce( 'some_other_action' );

		$this->expectException( Fortnox_Test_WP_Die::class );
		try {
			$this->link->handle_open();
		} finally {
			$this->assertSame( array(), Fortnox_Test_WP::$redirects );
		}
	}

	public function test_unconfigured_sidecar_sends_the_user_to_the_settings_page() {
		delete_option( Fortnox_Sidecar_Settings::OPTION_SECRET );
		Fortnox_Test_WP::login( self::ADMIN );
		$this->send_nonce();

		$this->link->handle_open();

		$this->assertSame( 'https://shop.example/wp-admin/admin.php?page=fortnox-sidecar', Fortnox_Test_WP::$redirects[0]['location'] );
		$this->assertTrue( Fortnox_Test_WP::$redirects[0]['safe'] );
	}

	public function test_without_a_link_secret_there_is_no_link_even_with_the_webhook_secret() {
		delete_option( Fortnox_Sidecar_Settings::OPTION_LINK_SECRET );
		Fortnox_Test_WP::login( self::ADMIN );
		$this->send_nonce();

		$this->link->handle_open();

		$this->assertSame( '', $this->link->signed_url( 7, 1700000000 ) );
		$this->assertSame( 'https://shop.example/wp-admin/admin.php?page=fortnox-sidecar', Fortnox_Test_WP::$redirects[0]['location'] );
	}

	public function test_handler_is_hooked_to_admin_post() {
		$this->assertNotFalse( has_action( 'admin_post_fortnox_sidecar_open', array( $this->plugin->admin_link, 'handle_open' ) ) );
	}
}
