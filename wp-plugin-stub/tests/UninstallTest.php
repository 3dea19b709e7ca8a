<?php
/**
 * uninstall.php.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

final class UninstallTest extends Fortnox_Sidecar_Test_Case {

	private function uninstall() {
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'wp-plugin-stub/fortnox-sidecar.php' );
		}
		include dirname( __DIR__ ) . '/uninstall.php';
	}

	public function test_uninstall_removes_its_webhooks_and_options_only() {
		Fortnox_Test_WP::login( self::ADMIN );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		$foreign = new WC_Webhook();
		$foreign->set_name( 'Someone else' );
		$foreign->set_topic( 'order.created' );
		$foreign->set_delivery_url( 'https://elsewhere.example/hook' );
		$foreign_id = $foreign->save();
		update_option( 'unrelated_option', 'stays' );
		$this->assertCount( 7, Fortnox_Test_WC::$webhooks );

		$this->uninstall();

		$this->assertSame( array( $foreign_id ), array_keys( Fortnox_Test_WC::$webhooks ) );
		$this->assertFalse( get_option( 'fortnox_sidecar_url' ) );
		$this->assertFalse( get_option( 'fortnox_sidecar_secret' ) );
		$this->assertFalse( get_option( 'fortnox_sidecar_webhook_ids' ) );
		$this->assertSame( 'stays', get_option( 'unrelated_option' ) );
	}

	public function test_uninstall_tolerates_webhooks_already_deleted() {
		Fortnox_Test_WP::login( self::ADMIN );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		Fortnox_Test_WC::$webhooks = array();

		$this->uninstall();

		$this->assertSame( array(), Fortnox_Test_WC::$webhooks );
		$this->assertFalse( get_option( 'fortnox_sidecar_webhook_ids' ) );
	}
}
