<?php
/**
 * Order column, meta box and "Send to Fortnox again".
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

final class OrdersTest extends Fortnox_Sidecar_Test_Case {

	const HOSTILE = '<script>alert("x")</script>';

	/** @var WC_Order */
	private $order;

	protected function setUp(): void {
		parent::setUp();
		update_option( Fortnox_Sidecar_Settings::OPTION_URL, self::SIDECAR_URL );
		update_option( Fortnox_Sidecar_Settings::OPTION_SECRET, self::SECRET );
		update_option( Fortnox_Sidecar_Settings::OPTION_PLUGIN_SECRET, self::PLUGIN_SECRET );
		$this->order = self::order(
			42,
			array(
				'fortnox_order_number'   => '1001',
				'fortnox_invoice_number' => '2002',
				'fortnox_status'         => 'invoiced',
			)
		);
		Fortnox_Test_WC::$orders[42] = $this->order;
		Fortnox_Test_WC::$orders[43] = self::order(
			43,
			array(
				'fortnox_order_number' => self::HOSTILE,
				'fortnox_status'       => 'failed: "bad" & <b>worse</b>',
			)
		);
		Fortnox_Test_WC::$orders[44] = self::order( 44, array() );
		Fortnox_Test_WC::$orders[45] = self::order(
			45,
			array(
				'fortnox_order_number'   => '5',
				'fortnox_invoice_number' => '12',
				'fortnox_status'         => 'exported',
				'fortnox_documents'      => '[{"number":"5","type":"order"},{"cancelled":true,"number":"12","type":"invoice"},{"invoice":"12","number":"63","refund":116,"type":"credit_invoice"},{"by_hand":true,"invoice":"12","number":"64","type":"credit_invoice"},{"invoice":"12","number":"65","refund":119,"type":"credit_invoice","unlinked":true},{"number":"5","refund":117,"type":"order_correction"},{"reason":"not_exported","refund":118,"type":"refund_not_booked"},{"number":"<b>x</b>","type":"order"}]',
			)
		);
	}

	/**
	 * The post behind a legacy (posts table) order.
	 */
	private static function post( $id ) {
		return new WP_Post(
			(object) array(
				'ID'        => $id,
				'post_type' => 'shop_order',
			)
		);
	}

	/**
	 * An order with meta, built as WooCommerce's API allows.
	 */
	private static function order( $id, array $meta ) {
		$order = new WC_Order( $id );
		foreach ( $meta as $key => $value ) {
			$order->update_meta_data( $key, $value );
		}
		return $order;
	}

	// Column -------------------------------------------------------------

	public function test_column_is_added_after_status_on_both_screens() {
		$columns = array( 'cb' => '', 'order_number' => 'Order', 'order_status' => 'Status', 'order_total' => 'Total' );

		foreach ( array( 'manage_edit-shop_order_columns', 'manage_woocommerce_page_wc-orders_columns' ) as $hook ) {
			$result = apply_filters( $hook, $columns );
			$this->assertSame( array( 'cb', 'order_number', 'order_status', 'fortnox', 'order_total' ), array_keys( $result ), $hook );
			$this->assertSame( 'Fortnox', $result['fortnox'] );
		}
	}

	public function test_column_shows_numbers_on_the_hpos_screen() {
		$html = $this->capture( function () {
			do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'fortnox', $this->order );
		} );

		$this->assertSame( 'Order 1001<br />Invoice 2002<br /><small>invoiced</small>', $html );
	}

	public function test_column_shows_numbers_on_the_legacy_screen() {
		$html = $this->capture( function () {
			do_action( 'manage_shop_order_posts_custom_column', 'fortnox', 42 );
		} );

		$this->assertSame( 'Order 1001<br />Invoice 2002<br /><small>invoiced</small>', $html );
	}

	public function test_column_output_is_escaped() {
		$html = $this->capture( function () {
			do_action( 'manage_shop_order_posts_custom_column', 'fortnox', 43 );
			do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'fortnox', Fortnox_Test_WC::$orders[43] );
		} );

		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringNotContainsString( '<b>', $html );
		$this->assertStringContainsString( 'Order &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;', $html );
		$this->assertStringContainsString( 'failed: &quot;bad&quot; &amp; &lt;b&gt;worse&lt;/b&gt;', $html );
	}

	public function test_column_says_what_exists_in_fortnox_from_the_documents_meta() {
		$html = $this->capture( function () {
			do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'fortnox', Fortnox_Test_WC::$orders[45] );
		} );

		$this->assertSame(
			'Order 5<br />Invoice 12 cancelled in Fortnox<br />Credit invoice 63 for invoice 12 (refund 116)'
			. '<br />Credit invoice 64 for invoice 12 (made in Fortnox)'
			. '<br />Credit note 65 for invoice 12 (refund 119, not linked in Fortnox)'
			. '<br />Order 5 corrected before invoicing (refund 117)<br />Refund 118 not booked in Fortnox'
			. '<br />Order &lt;b&gt;x&lt;/b&gt;<br /><small>exported</small>',
			$html
		);
	}

	public function test_column_and_box_speak_swedish_with_the_plugins_catalog() {
		Fortnox_Test_WP::$translations['fortnox-sidecar'] = self::catalog( 'sv_SE' );
		Fortnox_Test_WP::login( self::MANAGER );

		$html = $this->capture( function () {
			do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'fortnox', Fortnox_Test_WC::$orders[45] );
			$this->plugin->orders->render_meta_box( Fortnox_Test_WC::$orders[45] );
		} );

		$this->assertStringContainsString( 'Kreditfaktura 63 för faktura 12 (återbetalning 116)', $html );
		$this->assertStringContainsString( 'Faktura 12 makulerad i Fortnox', $html );
		$this->assertStringContainsString( '<li>Order 5 ändrad före fakturering (återbetalning 117)</li>', $html );
	}

	public function test_the_swedish_catalog_translates_every_text_of_the_plugin() {
		$catalog = self::catalog( 'sv_SE' );
		$sources = glob( dirname( __DIR__ ) . '/includes/*.php' );
		$missing = array();
		foreach ( $sources as $source ) {
			preg_match_all( "/(?:esc_html__|esc_attr__|esc_html_e|__)\\(\\s*'((?:[^'\\\\]|\\\\.)*)'/", file_get_contents( $source ), $found );
			foreach ( $found[1] as $text ) {
				$text = stripslashes( $text );
				if ( empty( $catalog[ $text ] ) ) {
					$missing[] = $text;
				}
			}
		}
		$this->assertSame( array(), $missing );
	}

	/**
	 * A gettext catalog of the plugin as English => translation (msgid/msgstr pairs).
	 */
	private static function catalog( $locale ) {
		$po      = file_get_contents( dirname( __DIR__ ) . "/languages/fortnox-sidecar-$locale.po" );
		$catalog = array();
		preg_match_all( '/^msgid ((?:"(?:[^"\\\\]|\\\\.)*"\s*)+)msgstr ((?:"(?:[^"\\\\]|\\\\.)*"\s*)+)/m', $po, $pairs, PREG_SET_ORDER );
		foreach ( $pairs as $pair ) {
			$catalog[ self::po_string( $pair[1] ) ] = self::po_string( $pair[2] );
		}
		unset( $catalog[''] );
		return $catalog;
	}

	private static function po_string( $quoted ) {
		preg_match_all( '/"((?:[^"\\\\]|\\\\.)*)"/', $quoted, $parts );
		return stripcslashes( implode( '', $parts[1] ) );
	}

	public function test_column_shows_a_dash_for_orders_not_in_fortnox_and_ignores_other_columns() {
		$html = $this->capture( function () {
			do_action( 'manage_shop_order_posts_custom_column', 'fortnox', 44 );
			do_action( 'manage_shop_order_posts_custom_column', 'order_total', 42 );
			do_action( 'manage_woocommerce_page_wc-orders_custom_column', 'order_total', $this->order );
		} );

		$this->assertSame( '<span class="na" aria-label="Not in Fortnox yet">&ndash;</span>', $html );
	}

	// Meta box -----------------------------------------------------------

	public function test_meta_box_is_registered_for_legacy_and_hpos_screens() {
		do_action( 'add_meta_boxes', 'shop_order', self::post( 42 ) );

		$this->assertCount( 1, Fortnox_Test_WP::$meta_boxes );
		$box = Fortnox_Test_WP::$meta_boxes[0];
		$this->assertSame( 'Fortnox', $box['title'] );
		$this->assertSame( array( 'shop_order', 'woocommerce_page_wc-orders' ), $box['screen'] );
	}

	public function test_meta_box_renders_from_a_post_and_from_an_order_with_a_nonce() {
		Fortnox_Test_WP::login( self::MANAGER );

		$from_post  = $this->capture( function () {
			$this->plugin->orders->render_meta_box( self::post( 42 ) );
		} );
		$from_order = $this->capture( function () {
			$this->plugin->orders->render_meta_box( $this->order );
		} );

		$this->assertSame( $from_post, $from_order );
		$this->assertStringContainsString( '<th scope="row">Order number</th><td>1001</td>', $from_order );
		$this->assertStringContainsString( '<th scope="row">Invoice number</th><td>2002</td>', $from_order );
		$this->assertStringContainsString( '<th scope="row">Status</th><td>invoiced</td>', $from_order );
		$this->assertStringContainsString( 'name="fortnox_sidecar_nonce" value="' . wp_create_nonce( 'fortnox_sidecar_resend_42' ) . '"', $from_order );
	}

	public function test_meta_box_output_is_escaped() {
		$html = $this->capture( function () {
			$this->plugin->orders->render_meta_box( self::post( 43 ) );
		} );

		$this->assertStringNotContainsString( '<script>', $html );
		$this->assertStringContainsString( '&lt;script&gt;', $html );
		$this->assertStringContainsString( '<th scope="row">Invoice number</th><td>&ndash;</td>', $html );
	}

	// Order action -------------------------------------------------------

	public function test_order_action_is_offered_to_shop_managers_only() {
		Fortnox_Test_WP::login( self::MANAGER );
		$this->assertSame( 'Send to Fortnox again', apply_filters( 'woocommerce_order_actions', array(), $this->order )['fortnox_sidecar_resend'] );

		Fortnox_Test_WP::login( self::AUTHOR );
		$this->assertSame( array(), apply_filters( 'woocommerce_order_actions', array(), $this->order ) );
	}

	public function test_order_action_is_not_offered_without_settings() {
		Fortnox_Test_WP::login( self::MANAGER );
		delete_option( Fortnox_Sidecar_Settings::OPTION_URL );

		$this->assertSame( array(), apply_filters( 'woocommerce_order_actions', array(), $this->order ) );
	}

	private function run_action( $nonce_order_id = 42 ) {
		$_POST['fortnox_sidecar_nonce'] = wp_create_nonce( 'fortnox_sidecar_resend_' . $nonce_order_id );
		do_action( 'woocommerce_order_action_fortnox_sidecar_resend', $this->order );
	}

	public function test_resend_posts_a_signed_request_and_notes_success() {
		Fortnox_Test_WP::login( self::MANAGER );
		Fortnox_Test_WP::$remote_response = array(
			'response' => array( 'code' => 202 ),
			'body'     => '{"status":"queued","message":"Export queued"}',
		);

		$before = time();
		$this->run_action();
		$after = time();

		$this->assertCount( 1, Fortnox_Test_WP::$remote_posts );
		$request = Fortnox_Test_WP::$remote_posts[0];
		$this->assertSame( self::SIDECAR_URL . '/api/orders/42/resend', $request['url'] );

		$body = $request['args']['body'];
		$data = json_decode( $body, true );
		$this->assertSame( array( 'order_id', 'requested_at', 'nonce', 'wp_user' ), array_keys( $data ) );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $data['nonce'] );
		$this->assertSame( 42, $data['order_id'] );
		$this->assertSame( self::MANAGER, $data['wp_user'] );
		$this->assertGreaterThanOrEqual( $before, $data['requested_at'] );
		$this->assertLessThanOrEqual( $after, $data['requested_at'] );

		$expected = base64_encode( hash_hmac( 'sha256', $body, self::PLUGIN_SECRET, true ) );
		$this->assertSame( $expected, $request['args']['headers']['X-Sidecar-Signature'] );
		$this->assertSame( 'application/json', $request['args']['headers']['Content-Type'] );
		$this->assertSame( 0, $request['args']['redirection'] );

		$this->assertSame( array( 'Fortnox: the order was queued to be sent to Fortnox again. Sidecar: Export queued' ), $this->order->notes );
	}

	public function test_resend_notes_through_add_order_note_as_a_private_note_by_the_user() {
		$method = new ReflectionMethod( WC_Order::class, 'add_order_note' );
		$params = array_map(
			function ( ReflectionParameter $param ) {
				return '$' . $param->getName() . ( $param->isDefaultValueAvailable() ? ' = ' . var_export( $param->getDefaultValue(), true ) : '' );
			},
			$method->getParameters()
		);
		// WooCommerce 8.4: WC_Order::add_order_note( $note, $is_customer_note = 0, $added_by_user = false ).
		$this->assertSame( array( '$note', '$is_customer_note = 0', '$added_by_user = false' ), $params );
		Fortnox_Test_WP::login( self::MANAGER );

		$this->run_action();

		$this->assertSame(
			array(
				array(
					'note'             => 'Fortnox: the order was queued to be sent to Fortnox again.',
					'is_customer_note' => false,
					'added_by_user'    => true,
				),
			),
			$this->order->note_calls
		);
	}

	public function test_each_resend_has_its_own_nonce() {
		Fortnox_Test_WP::$remote_response = array( 'response' => array( 'code' => 202 ), 'body' => '{}' );

		$this->plugin->orders->resend( $this->order, self::MANAGER );
		$this->plugin->orders->resend( $this->order, self::MANAGER );

		$nonces = array_map(
			function ( $request ) {
				return json_decode( $request['args']['body'], true )['nonce'];
			},
			Fortnox_Test_WP::$remote_posts
		);
		$this->assertCount( 2, array_unique( $nonces ) );
	}

	public function test_resend_notes_the_sidecars_error_message() {
		Fortnox_Test_WP::login( self::MANAGER );
		Fortnox_Test_WP::$remote_response = array(
			'response' => array( 'code' => 409 ),
			'body'     => '{"error":"Order 42 is still a <b>draft</b>"}',
		);

		$this->run_action();

		$this->assertCount( 1, Fortnox_Test_WP::$remote_posts );
		$this->assertSame( array( 'Fortnox: sending the order again failed: Order 42 is still a draft' ), $this->order->notes );
	}

	public function test_resend_notes_the_status_when_the_body_has_no_message() {
		Fortnox_Test_WP::login( self::MANAGER );
		Fortnox_Test_WP::$remote_response = array(
			'response' => array( 'code' => 502 ),
			'body'     => '<html>Bad gateway</html>',
		);

		$this->run_action();

		$this->assertSame( array( 'Fortnox: sending the order again failed: HTTP status 502' ), $this->order->notes );
	}

	public function test_resend_notes_an_unreachable_sidecar() {
		Fortnox_Test_WP::login( self::MANAGER );
		Fortnox_Test_WP::$remote_response = new WP_Error( 'http_request_failed', 'cURL error 7: Connection refused' );

		$this->run_action();

		$this->assertSame( array( 'Fortnox: sending the order again failed: the sidecar could not be reached (cURL error 7: Connection refused).' ), $this->order->notes );
	}

	public function test_resend_refused_with_a_nonce_for_another_order() {
		Fortnox_Test_WP::login( self::MANAGER );

		$this->run_action( 43 );

		$this->assertSame( array(), Fortnox_Test_WP::$remote_posts );
		$this->assertCount( 1, $this->order->notes );
		$this->assertStringContainsString( 'security check failed', $this->order->notes[0] );
	}

	public function test_resend_refused_without_manage_woocommerce() {
		Fortnox_Test_WP::login( self::MANAGER );
		$nonce = wp_create_nonce( 'fortnox_sidecar_resend_42' );
		Fortnox_Test_WP::login( self::AUTHOR );
		$_POST['fortnox_sidecar_nonce'] = $nonce;

		$this->assertFalse( $this->plugin->orders->handle_order_action( $this->order ) );
		$this->assertSame( array(), Fortnox_Test_WP::$remote_posts );
		$this->assertSame( array(), $this->order->notes );
	}
}
