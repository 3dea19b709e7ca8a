<?php
/**
 * Base test case: a clean fake WordPress and a freshly registered plugin.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

use PHPUnit\Framework\TestCase;

abstract class Fortnox_Sidecar_Test_Case extends TestCase {

	const SIDECAR_URL = 'http://127.0.0.1:8000';
	const SECRET      = 'k3y-For-tests_0123456789abcdef';
	const LINK_SECRET   = 'l1nk-For-tests_0123456789abcdef';
	const PLUGIN_SECRET = 'plug1n-For-tests_0123456789abcdef';

	const ADMIN   = 1;
	const MANAGER = 2;
	const AUTHOR  = 3;

	/** @var Fortnox_Sidecar_Plugin */
	protected $plugin;

	protected function setUp(): void {
		parent::setUp();
		Fortnox_Test_WP::reset();
		Fortnox_Test_WC::reset();

		Fortnox_Test_WP::add_user( self::ADMIN, array( 'administrator' ), array( 'activate_plugins', 'manage_options', 'manage_woocommerce', 'edit_shop_orders' ) );
		Fortnox_Test_WP::add_user( self::MANAGER, array( 'shop_manager' ), array( 'manage_woocommerce', 'edit_shop_orders' ) );
		Fortnox_Test_WP::add_user( self::AUTHOR, array( 'author' ), array( 'edit_posts' ) );

		$this->plugin = new Fortnox_Sidecar_Plugin( dirname( __DIR__ ) . '/fortnox-sidecar.php' );
		$this->plugin->register();
		do_action( 'admin_init' );
	}

	/**
	 * Store the settings as options.php would: one update_option per field.
	 *
	 * @param string $url    URL as typed.
	 * @param string $secret Secret as typed ('' keeps the stored one).
	 */
	protected function save_settings( $url, $secret ) {
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, $url );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, $secret );
		do_action( 'shutdown' );
	}

	/**
	 * Capture what a callable prints.
	 *
	 * @param callable $callback Callable.
	 * @return string
	 */
	protected function capture( callable $callback ) {
		ob_start();
		try {
			$callback();
		} finally {
			$output = ob_get_clean();
		}
		return $output;
	}
}
