<?php
/**
 * Small stand-ins for the WooCommerce classes and functions the plugin calls.
 *
 * The fake WC_Webhook keeps WooCommerce's observable rules that matter here
 * (WC_Webhook + WC_Webhook_Data_Store, WooCommerce 3.3 and later):
 * - unknown statuses become "disabled", invalid topics become "";
 * - create does not ping and sets pending_delivery;
 * - update of an active webhook pings when the delivery URL changed or
 *   pending_delivery is still true;
 * - a ping answered 200 clears pending_delivery;
 * - pings go through wp_safe_remote_post(), which applies WordPress's URL checks.
 *
 * @package Fortnox_Sidecar\Tests
 */

// phpcs:disable

/**
 * State of the fake WooCommerce.
 */
class Fortnox_Test_WC {
	/** @var array<int,array> Stored webhook rows by ID. */
	public static $webhooks = array();
	/** @var int */
	public static $next_id = 100;
	/** @var array<int,array{id:int,url:string}> */
	public static $pings = array();
	/** @var int HTTP status the sidecar answers pings with. */
	public static $ping_status = 200;
	/** @var array<int,array{id:int,op:string}> */
	public static $saves = array();
	/** @var array<int,WC_Order> */
	public static $orders = array();

	public static function reset() {
		self::$webhooks    = array();
		self::$next_id     = 100;
		self::$pings       = array();
		self::$ping_status = 200;
		self::$saves       = array();
		self::$orders      = array();
	}

	/**
	 * Webhook rows created by the plugin, keyed by topic.
	 *
	 * @return array<string,array>
	 */
	public static function by_topic() {
		$rows = array();
		foreach ( self::$webhooks as $id => $row ) {
			$rows[ $row['topic'] ] = $row + array( 'id' => $id );
		}
		return $rows;
	}
}

class WooCommerce {}

/**
 * WordPress's wp_http_validate_url() host and port rules, as WooCommerce's
 * deliveries and pings meet them (IPv4 only).
 *
 * @param string $url URL.
 * @return string|false
 */
function fortnox_test_validate_url( $url ) {
	$parts = parse_url( $url );
	if ( ! $parts || empty( $parts['host'] ) || ! in_array( $parts['scheme'], array( 'http', 'https' ), true ) ) {
		return false;
	}
	$host = trim( $parts['host'], '.' );
	$ip   = preg_match( '/^\d+\.\d+\.\d+\.\d+$/', $host ) ? $host : ( 'localhost' === $host ? '127.0.0.1' : '203.0.113.10' );
	$o    = array_map( 'intval', explode( '.', $ip ) );
	if ( 127 === $o[0] || 10 === $o[0] || 0 === $o[0] || ( 172 === $o[0] && $o[1] >= 16 && $o[1] <= 31 ) || ( 192 === $o[0] && 168 === $o[1] ) ) {
		if ( ! apply_filters( 'http_request_host_is_external', false, $host, $url ) ) {
			return false;
		}
	}
	if ( empty( $parts['port'] ) ) {
		return $url;
	}
	$ports = apply_filters( 'http_allowed_safe_ports', array( 80, 443, 8080 ), $host, $url );
	return is_array( $ports ) && in_array( $parts['port'], $ports, true ) ? $url : false;
}

function wp_safe_remote_post( $url, $args = array() ) {
	if ( false === fortnox_test_validate_url( $url ) ) {
		return new WP_Error( 'http_request_failed', 'A valid URL was not provided.' );
	}
	Fortnox_Test_WC::$pings[] = array( 'url' => $url, 'body' => isset( $args['body'] ) ? $args['body'] : '' );
	return array(
		'response' => array( 'code' => Fortnox_Test_WC::$ping_status, 'message' => '' ),
		'body'     => '',
	);
}

class WC_Webhook {
	/** @var int */
	private $id = 0;
	/** @var array */
	private $data = array(
		'status'           => 'disabled',
		'name'             => '',
		'topic'            => '',
		'delivery_url'     => '',
		'secret'           => '',
		'user_id'          => 0,
		'api_version'      => 3,
		'failure_count'    => 0,
		'pending_delivery' => false,
	);
	/** @var array */
	private $changes = array();

	public function __construct( $data = 0 ) {
		$id = (int) $data;
		if ( $id > 0 && isset( Fortnox_Test_WC::$webhooks[ $id ] ) ) {
			$this->id   = $id;
			$this->data = Fortnox_Test_WC::$webhooks[ $id ];
		}
	}

	public function get_id() {
		return $this->id;
	}

	private function get_prop( $key ) {
		return array_key_exists( $key, $this->changes ) ? $this->changes[ $key ] : $this->data[ $key ];
	}

	private function set_prop( $key, $value ) {
		if ( $this->id > 0 && $this->data[ $key ] === $value ) {
			unset( $this->changes[ $key ] );
			return;
		}
		$this->changes[ $key ] = $value;
	}

	public function get_name( $context = 'view' ) {
		return $this->get_prop( 'name' );
	}
	public function get_status( $context = 'view' ) {
		return $this->get_prop( 'status' );
	}
	public function get_topic( $context = 'view' ) {
		return $this->get_prop( 'topic' );
	}
	public function get_delivery_url( $context = 'view' ) {
		return $this->get_prop( 'delivery_url' );
	}
	public function get_secret( $context = 'view' ) {
		return $this->get_prop( 'secret' );
	}
	public function get_user_id( $context = 'view' ) {
		return $this->get_prop( 'user_id' );
	}
	public function get_api_version( $context = 'view' ) {
		return 'wp_api_v' . $this->get_prop( 'api_version' );
	}
	public function get_failure_count( $context = 'view' ) {
		return $this->get_prop( 'failure_count' );
	}
	public function get_pending_delivery( $context = 'view' ) {
		return $this->get_prop( 'pending_delivery' );
	}

	public function set_name( $name ) {
		$this->set_prop( 'name', $name );
	}
	public function set_status( $status ) {
		$this->set_prop( 'status', in_array( $status, array( 'active', 'paused', 'disabled' ), true ) ? $status : 'disabled' );
	}
	public function set_topic( $topic ) {
		$valid = (bool) preg_match( '/^(coupon|customer|order|product)\.(created|updated|deleted|restored)$/', $topic );
		$this->set_prop( 'topic', $valid ? $topic : '' );
	}
	public function set_delivery_url( $url ) {
		$this->set_prop( 'delivery_url', esc_url_raw( $url, array( 'http', 'https' ) ) );
	}
	public function set_secret( $secret ) {
		$this->set_prop( 'secret', $secret );
	}
	public function set_user_id( $user_id ) {
		$this->set_prop( 'user_id', (int) $user_id );
	}
	public function set_api_version( $version ) {
		if ( ! is_numeric( $version ) ) {
			$version = (int) substr( $version, -1 );
		}
		$this->set_prop( 'api_version', (int) $version );
	}
	public function set_failure_count( $failure_count ) {
		$this->set_prop( 'failure_count', (int) $failure_count );
	}
	public function set_pending_delivery( $pending_delivery ) {
		$this->set_prop( 'pending_delivery', (bool) $pending_delivery );
	}

	public function save() {
		$url_changed = array_key_exists( 'delivery_url', $this->changes );
		$this->data  = array_merge( $this->data, $this->changes );
		$this->changes = array();

		if ( 0 === $this->id ) {
			$this->id                       = Fortnox_Test_WC::$next_id++;
			$this->data['pending_delivery'] = true;
			Fortnox_Test_WC::$webhooks[ $this->id ] = $this->data;
			Fortnox_Test_WC::$saves[]       = array( 'id' => $this->id, 'op' => 'create' );
			return $this->id;
		}

		Fortnox_Test_WC::$webhooks[ $this->id ] = $this->data;
		Fortnox_Test_WC::$saves[]       = array( 'id' => $this->id, 'op' => 'update' );
		if ( 'active' === $this->data['status'] && ( $url_changed || $this->data['pending_delivery'] ) ) {
			$this->deliver_ping();
		}
		return $this->id;
	}

	public function deliver_ping() {
		$response = wp_safe_remote_post( $this->get_delivery_url(), array( 'body' => 'webhook_id=' . $this->id ) );
		if ( is_wp_error( $response ) ) {
			return new WP_Error( 'error', 'Error: Delivery URL cannot be reached: ' . $response->get_error_message() );
		}
		if ( 200 !== $response['response']['code'] ) {
			return new WP_Error( 'error', 'Error: Delivery URL returned response code: ' . $response['response']['code'] );
		}
		$this->set_pending_delivery( false );
		$this->save();
		return true;
	}

	public function delete( $force_delete = false ) {
		unset( Fortnox_Test_WC::$webhooks[ $this->id ] );
		Fortnox_Test_WC::$saves[] = array( 'id' => $this->id, 'op' => 'delete' );
		$this->id = 0;
		return true;
	}
}

function wc_get_webhook( $id ) {
	$webhook = new WC_Webhook( $id );
	return 0 !== $webhook->get_id() ? $webhook : null;
}

class WC_Order {
	/** @var int */
	private $id;
	/** @var array<string,mixed> */
	private $meta = array();
	/** @var string[] The notes' texts. */
	public $notes = array();
	/** @var array<int,array{note:string,is_customer_note:mixed,added_by_user:mixed}> */
	public $note_calls = array();

	public function __construct( $order = 0 ) {
		$this->id = (int) $order;
	}

	public function get_id() {
		return $this->id;
	}

	public function get_meta( $key = '', $single = true, $context = 'view' ) {
		return array_key_exists( $key, $this->meta ) ? $this->meta[ $key ] : '';
	}

	public function update_meta_data( $key, $value, $meta_id = 0 ) {
		$this->meta[ $key ] = $value;
	}

	public function add_order_note( $note, $is_customer_note = 0, $added_by_user = false ) {
		$this->notes[]      = $note;
		$this->note_calls[] = array(
			'note'             => $note,
			'is_customer_note' => $is_customer_note,
			'added_by_user'    => $added_by_user,
		);
		return count( $this->notes );
	}
}

function wc_get_order( $the_order = false ) {
	$id = is_object( $the_order ) ? (int) $the_order->get_id() : (int) $the_order;
	return isset( Fortnox_Test_WC::$orders[ $id ] ) ? Fortnox_Test_WC::$orders[ $id ] : false;
}
