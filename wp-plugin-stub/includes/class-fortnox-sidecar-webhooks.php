<?php
/**
 * The WooCommerce webhooks that feed the sidecar.
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * Creates, updates, re-activates, pauses and deletes the plugin's webhooks.
 *
 * The webhooks are found again by the IDs stored in the option
 * `fortnox_sidecar_webhook_ids` (topic => webhook ID), never by name, so saving
 * the settings any number of times leaves exactly one webhook per topic.
 *
 * Pings, as WooCommerce 3.3+ implements them (WC_Webhook_Data_Store):
 * - creating a webhook through WC_Webhook::save() does not ping, so this class
 *   calls deliver_ping() after each creation;
 * - updating an active webhook whose delivery URL changed, or whose earlier ping
 *   never got a 200 (pending_delivery), pings from inside save(). Calling
 *   deliver_ping() again after such an update would ping twice, so it is not done.
 */
class Fortnox_Sidecar_Webhooks {

	const TOPICS = array(
		'order.created',
		'order.updated',
		'order.deleted',
		'order.restored',
		'product.created',
		'product.updated',
	);

	const API_VERSION   = 'wp_api_v3';
	const DELIVERY_PATH = '/webhooks/woocommerce';

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
		add_action( 'fortnox_sidecar_settings_after_form', array( $this, 'render_status_table' ) );
	}

	/**
	 * The URL WooCommerce delivers to.
	 *
	 * @return string
	 */
	public function delivery_url() {
		return $this->settings->endpoint( self::DELIVERY_PATH );
	}

	/**
	 * Stored webhook IDs by topic.
	 *
	 * @return array<string,int>
	 */
	public static function get_stored_ids() {
		$stored = get_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS, array() );
		$ids    = array();
		if ( ! is_array( $stored ) ) {
			return $ids;
		}
		foreach ( $stored as $topic => $id ) {
			if ( is_string( $topic ) && absint( $id ) > 0 ) {
				$ids[ $topic ] = absint( $id );
			}
		}
		return $ids;
	}

	/**
	 * Create or update one active webhook per topic.
	 *
	 * @param int $preferred_user_id User to own the webhooks if they can manage WooCommerce.
	 * @return array<int,array{type:string,message:string}> Notices for the admin.
	 */
	public function sync( $preferred_user_id = 0 ) {
		if ( ! self::woocommerce_available() ) {
			return array( self::notice( 'error', __( 'WooCommerce is not active, so no webhooks were created for the Fortnox sidecar.', 'fortnox-sidecar' ) ) );
		}
		if ( ! $this->settings->is_configured() ) {
			return array( self::notice( 'warning', __( 'Enter the sidecar URL and the shared secret under WooCommerce > Fortnox sidecar to send orders to Fortnox.', 'fortnox-sidecar' ) ) );
		}

		$owner = $this->resolve_owner( (int) $preferred_user_id );
		if ( 0 === $owner ) {
			return array( self::notice( 'error', __( 'No user who can manage WooCommerce was found to own the webhooks, so none were created.', 'fortnox-sidecar' ) ) );
		}

		$url         = $this->delivery_url();
		$secret      = $this->settings->get_secret();
		$stored      = self::get_stored_ids();
		$ids         = array();
		$notices     = array();
		$counts      = array(
			'created'     => 0,
			'updated'     => 0,
			'reactivated' => 0,
		);
		$ping_error  = '';
		$unconfirmed = 0;

		foreach ( self::TOPICS as $topic ) {
			$webhook = isset( $stored[ $topic ] ) ? self::load( $stored[ $topic ] ) : null;
			$is_new  = null === $webhook;
			if ( $is_new ) {
				$webhook = new WC_Webhook();
			}
			$was_active = ! $is_new && 'active' === $webhook->get_status( 'edit' );

			/* translators: %s: webhook topic such as order.created */
			$webhook->set_name( sprintf( __( 'Fortnox sidecar: %s', 'fortnox-sidecar' ), $topic ) );
			$webhook->set_topic( $topic );
			$webhook->set_delivery_url( $url );
			$webhook->set_secret( $secret );
			$webhook->set_api_version( self::API_VERSION );
			$webhook->set_user_id( $owner );
			if ( ! $is_new && ! $was_active ) {
				// WooCommerce keeps the failure counter of a disabled webhook, which would
				// disable it again at its first failure after re-activation.
				$webhook->set_failure_count( 0 );
			}
			$webhook->set_status( 'active' );

			try {
				$id = (int) $webhook->save();
			} catch ( Exception $e ) {
				$id = 0;
			}

			if ( $id <= 0 ) {
				if ( ! $is_new ) {
					$ids[ $topic ] = $stored[ $topic ];
				}
				$notices[] = self::notice(
					'error',
					/* translators: %s: webhook topic */
					sprintf( __( 'The webhook for %s could not be saved.', 'fortnox-sidecar' ), $topic )
				);
				continue;
			}

			$ids[ $topic ] = $id;

			if ( $is_new ) {
				++$counts['created'];
				// One unanswered ping is enough to know; skip the rest rather than wait
				// for every timeout. WooCommerce pings again on the next save.
				if ( '' === $ping_error ) {
					$ping = $webhook->deliver_ping();
					if ( is_wp_error( $ping ) ) {
						$ping_error = $ping->get_error_message();
					}
				}
			} elseif ( $was_active ) {
				++$counts['updated'];
			} else {
				++$counts['reactivated'];
			}

			if ( $webhook->get_pending_delivery() ) {
				++$unconfirmed;
			}
		}

		// Remove webhooks of topics this version no longer uses.
		foreach ( array_diff_key( $stored, array_flip( self::TOPICS ) ) as $id ) {
			self::delete_webhook( $id );
		}

		update_option( Fortnox_Sidecar_Settings::OPTION_WEBHOOK_IDS, $ids, false );

		if ( $counts['created'] + $counts['updated'] + $counts['reactivated'] > 0 ) {
			$notices[] = self::notice(
				'success',
				sprintf(
					/* translators: 1: number created, 2: number updated, 3: number re-activated */
					__( 'Webhooks to the Fortnox sidecar are active: %1$d created, %2$d updated, %3$d re-activated.', 'fortnox-sidecar' ),
					$counts['created'],
					$counts['updated'],
					$counts['reactivated']
				)
			);
		}

		if ( $unconfirmed > 0 ) {
			$detail    = '' !== $ping_error ? $ping_error : __( 'no answer with status 200', 'fortnox-sidecar' );
			$notices[] = self::notice(
				'warning',
				sprintf(
					/* translators: 1: sidecar URL, 2: error message */
					__( 'The sidecar at %1$s did not confirm the webhook ping (%2$s). Check that it is running and reachable from WordPress; WooCommerce pings again with the next save or delivery.', 'fortnox-sidecar' ),
					$url,
					$detail
				)
			);
		}

		return $notices;
	}

	/**
	 * Pause the plugin's active webhooks (on deactivation).
	 *
	 * Without this plugin's host and port filters, deliveries to a local sidecar
	 * would fail until WooCommerce disables the webhooks; pausing is explicit.
	 * Activation and saving the settings make them active again.
	 *
	 * @return int Number paused.
	 */
	public function pause() {
		if ( ! self::woocommerce_available() ) {
			return 0;
		}
		$paused = 0;
		foreach ( self::get_stored_ids() as $id ) {
			$webhook = self::load( $id );
			if ( null !== $webhook && 'active' === $webhook->get_status( 'edit' ) ) {
				$webhook->set_status( 'paused' );
				$webhook->save();
				++$paused;
			}
		}
		return $paused;
	}

	/**
	 * Delete every stored webhook (used by uninstall.php).
	 *
	 * Works through WooCommerce when it is loaded, otherwise deletes the rows from
	 * WooCommerce's webhook table directly.
	 *
	 * @return int Number of webhooks deleted.
	 */
	public static function delete_stored() {
		$deleted = 0;
		foreach ( self::get_stored_ids() as $id ) {
			if ( self::delete_webhook( $id ) ) {
				++$deleted;
			}
		}
		return $deleted;
	}

	/**
	 * Rows for the status table: topic, ID and current status.
	 *
	 * @return array<int,array{topic:string,id:int,status:string}>
	 */
	public function describe() {
		$stored = self::get_stored_ids();
		$rows   = array();
		foreach ( self::TOPICS as $topic ) {
			$id      = isset( $stored[ $topic ] ) ? $stored[ $topic ] : 0;
			$webhook = ( $id > 0 && self::woocommerce_available() ) ? self::load( $id ) : null;
			$rows[]  = array(
				'topic'  => $topic,
				'id'     => null !== $webhook ? $id : 0,
				'status' => null !== $webhook ? (string) $webhook->get_status( 'edit' ) : '',
			);
		}
		return $rows;
	}

	/**
	 * Print the webhook status table on the settings page.
	 */
	public function render_status_table() {
		echo '<h2>' . esc_html__( 'Webhooks', 'fortnox-sidecar' ) . '</h2>';
		echo '<table class="widefat striped"><thead><tr>';
		echo '<th>' . esc_html__( 'Topic', 'fortnox-sidecar' ) . '</th>';
		echo '<th>' . esc_html__( 'Webhook ID', 'fortnox-sidecar' ) . '</th>';
		echo '<th>' . esc_html__( 'Status', 'fortnox-sidecar' ) . '</th>';
		echo '</tr></thead><tbody>';
		foreach ( $this->describe() as $row ) {
			echo '<tr><td><code>' . esc_html( $row['topic'] ) . '</code></td>';
			echo '<td>' . ( $row['id'] > 0 ? esc_html( (string) $row['id'] ) : '&ndash;' ) . '</td>';
			echo '<td>' . ( '' !== $row['status'] ? esc_html( $row['status'] ) : esc_html__( 'not created', 'fortnox-sidecar' ) ) . '</td></tr>';
		}
		echo '</tbody></table>';
	}

	/**
	 * Who owns the webhooks: WooCommerce builds each payload as this user.
	 *
	 * @param int $preferred_user_id Preferred user (normally the current user).
	 * @return int User ID, or 0 when nobody can manage WooCommerce.
	 */
	public function resolve_owner( $preferred_user_id ) {
		if ( $preferred_user_id > 0 && user_can( $preferred_user_id, Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			return $preferred_user_id;
		}

		$candidates = get_users(
			array(
				'role__in' => array( 'shop_manager', 'administrator' ),
				'orderby'  => 'ID',
				'order'    => 'ASC',
				'fields'   => 'ID',
				'number'   => 50,
			)
		);
		foreach ( (array) $candidates as $candidate ) {
			$candidate = (int) $candidate;
			if ( $candidate > 0 && user_can( $candidate, Fortnox_Sidecar_Settings::CAPABILITY ) ) {
				return $candidate;
			}
		}
		return 0;
	}

	/**
	 * Whether WooCommerce's webhook API is loaded.
	 *
	 * @return bool
	 */
	private static function woocommerce_available() {
		return class_exists( 'WC_Webhook' ) && function_exists( 'wc_get_webhook' );
	}

	/**
	 * Load a webhook by ID.
	 *
	 * @param int $id Webhook ID.
	 * @return WC_Webhook|null
	 */
	private static function load( $id ) {
		try {
			$webhook = wc_get_webhook( (int) $id );
		} catch ( Exception $e ) {
			return null;
		}
		return $webhook instanceof WC_Webhook && $webhook->get_id() > 0 ? $webhook : null;
	}

	/**
	 * Delete one webhook.
	 *
	 * @param int $id Webhook ID.
	 * @return bool Whether a webhook was deleted.
	 */
	private static function delete_webhook( $id ) {
		if ( self::woocommerce_available() ) {
			$webhook = self::load( $id );
			if ( null === $webhook ) {
				return false;
			}
			$webhook->delete( true );
			return true;
		}

		global $wpdb;
		if ( ! is_object( $wpdb ) ) {
			return false;
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- WooCommerce is not loaded; its own table.
		return (bool) $wpdb->delete( $wpdb->prefix . 'wc_webhooks', array( 'webhook_id' => (int) $id ), array( '%d' ) );
	}

	/**
	 * Build a notice.
	 *
	 * @param string $type    success, info, warning or error.
	 * @param string $message Plain text.
	 * @return array{type:string,message:string}
	 */
	private static function notice( $type, $message ) {
		return array(
			'type'    => $type,
			'message' => $message,
		);
	}
}
