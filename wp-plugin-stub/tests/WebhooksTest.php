<?php
/**
 * Webhook creation, update, re-activation, pause.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

final class WebhooksTest extends Fortnox_Sidecar_Test_Case {

	private function creates() {
		return array_values( array_filter( Fortnox_Test_WC::$saves, function ( $save ) {
			return 'create' === $save['op'];
		} ) );
	}

	public function test_first_save_creates_one_active_webhook_per_topic() {
		Fortnox_Test_WP::login( self::MANAGER );

		$this->save_settings( self::SIDECAR_URL, self::SECRET );

		$rows = Fortnox_Test_WC::by_topic();
		$this->assertSame(
			array( 'order.created', 'order.deleted', 'order.restored', 'order.updated', 'product.created', 'product.updated' ),
			$this->sorted( array_keys( $rows ) )
		);
		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
		foreach ( $rows as $topic => $row ) {
			$this->assertSame( 'http://127.0.0.1:8000/webhooks/woocommerce', $row['delivery_url'], $topic );
			$this->assertSame( self::SECRET, $row['secret'], $topic );
			$this->assertSame( 3, $row['api_version'], $topic );
			$this->assertSame( 'active', $row['status'], $topic );
			$this->assertSame( self::MANAGER, $row['user_id'], $topic );
			$this->assertSame( 'Fortnox sidecar: ' . $topic, $row['name'] );
		}

		$stored = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS );
		foreach ( $rows as $topic => $row ) {
			$this->assertSame( $row['id'], $stored[ $topic ] );
		}
	}

	public function test_second_save_updates_the_same_webhooks_without_duplicates() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		$first_ids = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS );

		$this->save_settings( 'https://sidecar.example.com:8443/fortnox/', 'another-Secret_0123456789' );

		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
		$this->assertCount( 6, $this->creates() );
		$this->assertSame( $first_ids, get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS ) );
		foreach ( Fortnox_Test_WC::by_topic() as $topic => $row ) {
			$this->assertSame( 'https://sidecar.example.com:8443/fortnox/webhooks/woocommerce', $row['delivery_url'], $topic );
			$this->assertSame( 'another-Secret_0123456789', $row['secret'], $topic );
		}
	}

	public function test_saving_unchanged_settings_syncs_again() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		$updates_before = count( Fortnox_Test_WC::$saves );

		$this->save_settings( self::SIDECAR_URL, '' );

		$this->assertGreaterThan( $updates_before, count( Fortnox_Test_WC::$saves ) );
		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
		$this->assertSame( self::SECRET, get_option( Fortnox_Sidecar_Settings::OPTION_SECRET ) );
	}

	public function test_disabled_webhook_is_reactivated_with_a_fresh_failure_count() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		$id = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS )['order.updated'];
		Fortnox_Test_WC::$webhooks[ $id ]['status']        = 'disabled';
		Fortnox_Test_WC::$webhooks[ $id ]['failure_count'] = 6;

		$this->save_settings( self::SIDECAR_URL, '' );

		$this->assertSame( 'active', Fortnox_Test_WC::$webhooks[ $id ]['status'] );
		$this->assertSame( 0, Fortnox_Test_WC::$webhooks[ $id ]['failure_count'] );
		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
		$messages = fortnox_test_messages( get_transient( Fortnox_Sidecar_Plugin::NOTICE_TRANSIENT . self::MANAGER ) );
		$this->assertStringContainsString( '0 created, 5 updated, 1 re-activated', implode( ' ', $messages ) );
	}

	public function test_webhook_deleted_in_woocommerce_is_created_again_once() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		$old_id = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS )['product.updated'];
		unset( Fortnox_Test_WC::$webhooks[ $old_id ] );

		$this->save_settings( self::SIDECAR_URL, '' );
		$this->save_settings( self::SIDECAR_URL, '' );

		$new_id = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS )['product.updated'];
		$this->assertNotSame( $old_id, $new_id );
		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
		$this->assertCount( 7, $this->creates() );
	}

	public function test_new_webhooks_are_pinged_once_each_and_confirmed() {
		Fortnox_Test_WP::login( self::MANAGER );

		$this->save_settings( self::SIDECAR_URL, self::SECRET );

		$this->assertCount( 6, Fortnox_Test_WC::$pings );
		$bodies = array_column( Fortnox_Test_WC::$pings, 'body' );
		foreach ( array_keys( Fortnox_Test_WC::$webhooks ) as $id ) {
			$this->assertContains( 'webhook_id=' . $id, $bodies );
			$this->assertFalse( Fortnox_Test_WC::$webhooks[ $id ]['pending_delivery'] );
		}
	}

	public function test_url_change_is_pinged_once_per_webhook_not_twice() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		Fortnox_Test_WC::$pings = array();

		$this->save_settings( 'http://127.0.0.1:8001', '' );

		$this->assertCount( 6, Fortnox_Test_WC::$pings );
		foreach ( Fortnox_Test_WC::$pings as $ping ) {
			$this->assertSame( 'http://127.0.0.1:8001/webhooks/woocommerce', $ping['url'] );
		}
	}

	public function test_unanswered_ping_is_tried_once_and_reported() {
		Fortnox_Test_WP::login( self::MANAGER );
		Fortnox_Test_WC::$ping_status = 503;

		$this->save_settings( self::SIDECAR_URL, self::SECRET );

		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
		$this->assertCount( 1, Fortnox_Test_WC::$pings );
		$notices = get_transient( Fortnox_Sidecar_Plugin::NOTICE_TRANSIENT . self::MANAGER );
		$this->assertContains( 'warning', array_column( $notices, 'type' ) );
		$this->assertStringContainsString( 'response code: 503', implode( ' ', fortnox_test_messages( $notices ) ) );
	}

	public function test_owner_falls_back_to_first_administrator_or_shop_manager() {
		Fortnox_Test_WP::login( self::AUTHOR );
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );

		$this->plugin->activate();

		foreach ( Fortnox_Test_WC::$webhooks as $row ) {
			$this->assertSame( self::ADMIN, $row['user_id'] );
		}
		$this->assertSame( self::MANAGER, $this->plugin->webhooks->resolve_owner( self::MANAGER ) );
		$this->assertSame( self::ADMIN, $this->plugin->webhooks->resolve_owner( self::AUTHOR ) );
	}

	public function test_no_webhooks_without_a_user_who_can_manage_woocommerce() {
		Fortnox_Test_WP::$users = array();
		Fortnox_Test_WP::add_user( 9, array( 'administrator' ), array( 'manage_options' ) );
		Fortnox_Test_WP::login( 9 );
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );

		$notices = $this->plugin->webhooks->sync( 9 );

		$this->assertSame( array(), Fortnox_Test_WC::$webhooks );
		$this->assertSame( 'error', $notices[0]['type'] );
	}

	public function test_activation_without_settings_creates_nothing_and_says_what_to_do() {
		Fortnox_Test_WP::login( self::ADMIN );

		$this->plugin->activate();

		$this->assertSame( array(), Fortnox_Test_WC::$webhooks );
		$notices = get_transient( Fortnox_Sidecar_Plugin::NOTICE_TRANSIENT . self::ADMIN );
		$this->assertSame( 'warning', $notices[0]['type'] );
	}

	public function test_deactivation_pauses_and_activation_reactivates() {
		Fortnox_Test_WP::login( self::ADMIN );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );

		$this->plugin->deactivate();
		$this->assertSame( array( 'paused' ), array_values( array_unique( array_column( Fortnox_Test_WC::$webhooks, 'status' ) ) ) );

		$this->plugin->activate();
		$this->assertSame( array( 'active' ), array_values( array_unique( array_column( Fortnox_Test_WC::$webhooks, 'status' ) ) ) );
		$this->assertCount( 6, Fortnox_Test_WC::$webhooks );
	}

	public function test_sync_runs_only_after_a_settings_save() {
		Fortnox_Test_WP::login( self::ADMIN );
		$this->assertFalse( $this->plugin->is_sync_pending() );

		do_action( 'shutdown' );
		$this->assertSame( array(), Fortnox_Test_WC::$webhooks );

		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		$this->assertTrue( $this->plugin->is_sync_pending() );
	}

	public function test_status_table_lists_each_topic_and_status() {
		Fortnox_Test_WP::login( self::ADMIN );
		$this->save_settings( self::SIDECAR_URL, self::SECRET );
		$id = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS )['order.deleted'];
		Fortnox_Test_WC::$webhooks[ $id ]['status'] = 'disabled';

		$html = $this->capture( function () {
			do_action( 'fortnox_sidecar_settings_after_form' );
		} );

		$this->assertStringContainsString( '<code>order.deleted</code></td><td>' . $id . '</td><td>disabled</td>', $html );
		$this->assertSame( 5, substr_count( $html, '<td>active</td>' ) );
	}

	private function sorted( array $values ) {
		sort( $values );
		return $values;
	}
}

/**
 * Messages of stored notices.
 *
 * @param mixed $notices Notices.
 * @return string[]
 */
function fortnox_test_messages( $notices ) {
	return is_array( $notices ) ? array_column( $notices, 'message' ) : array();
}
