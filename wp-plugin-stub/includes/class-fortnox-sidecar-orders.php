<?php
/**
 * Fortnox numbers on orders, and "Send to Fortnox again".
 *
 * @package Fortnox_Sidecar
 */

defined( 'ABSPATH' ) || exit;

/**
 * Order list column, order meta box and the resend order action, on both the
 * legacy (posts) order screens and the HPOS (wc-orders) screens.
 *
 * The sidecar writes the order meta keys below through the WooCommerce REST API.
 * META_DOCUMENTS is a JSON list of every document the order has in Fortnox
 * (type order, invoice, credit_invoice, order_correction or refund_not_booked, with
 * number, invoice, refund, cancelled, by_hand and unlinked where they apply); the column and the
 * box say what exists from it, and fall back to the three older keys without it.
 */
class Fortnox_Sidecar_Orders {

	const META_ORDER_NUMBER   = 'fortnox_order_number';
	const META_INVOICE_NUMBER = 'fortnox_invoice_number';
	const META_STATUS         = 'fortnox_status';
	const META_DOCUMENTS      = 'fortnox_documents';

	const COLUMN        = 'fortnox';
	const META_BOX      = 'fortnox-sidecar';
	const ACTION        = 'fortnox_sidecar_resend';
	const NONCE_FIELD   = 'fortnox_sidecar_nonce';
	const RESEND_PATH   = '/api/orders/%d/resend';
	const HPOS_SCREEN   = 'woocommerce_page_wc-orders';
	const LEGACY_SCREEN = 'shop_order';

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
	 * Hook into WordPress and WooCommerce.
	 */
	public function register() {
		// Legacy posts screen.
		add_filter( 'manage_edit-shop_order_columns', array( $this, 'add_column' ), 20 );
		add_action( 'manage_shop_order_posts_custom_column', array( $this, 'render_legacy_column' ), 20, 2 );
		// HPOS screen.
		add_filter( 'manage_woocommerce_page_wc-orders_columns', array( $this, 'add_column' ), 20 );
		add_action( 'manage_woocommerce_page_wc-orders_custom_column', array( $this, 'render_hpos_column' ), 20, 2 );

		add_action( 'add_meta_boxes', array( $this, 'add_meta_box' ) );

		add_filter( 'woocommerce_order_actions', array( $this, 'add_order_action' ), 10, 2 );
		add_action( 'woocommerce_order_action_' . self::ACTION, array( $this, 'handle_order_action' ) );
	}

	/**
	 * Add the "Fortnox" column after the status column.
	 *
	 * @param array $columns Columns.
	 * @return array
	 */
	public function add_column( $columns ) {
		if ( ! is_array( $columns ) ) {
			return $columns;
		}
		$label  = esc_html__( 'Fortnox', 'fortnox-sidecar' );
		$result = array();
		foreach ( $columns as $key => $title ) {
			$result[ $key ] = $title;
			if ( 'order_status' === $key ) {
				$result[ self::COLUMN ] = $label;
			}
		}
		if ( ! isset( $result[ self::COLUMN ] ) ) {
			$result[ self::COLUMN ] = $label;
		}
		return $result;
	}

	/**
	 * Column cell on the legacy screen, which passes the post ID.
	 *
	 * @param string $column  Column key.
	 * @param int    $post_id Order ID.
	 */
	public function render_legacy_column( $column, $post_id ) {
		if ( self::COLUMN !== $column ) {
			return;
		}
		$order = wc_get_order( absint( $post_id ) );
		if ( $order ) {
			echo $this->column_html( $order ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped in column_html().
		}
	}

	/**
	 * Column cell on the HPOS screen, which passes the order object.
	 *
	 * @param string   $column Column key.
	 * @param WC_Order $order  Order.
	 */
	public function render_hpos_column( $column, $order ) {
		if ( self::COLUMN !== $column || ! is_object( $order ) ) {
			return;
		}
		echo $this->column_html( $order ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- escaped in column_html().
	}

	/**
	 * Escaped HTML for the column cell.
	 *
	 * @param WC_Order $order Order.
	 * @return string
	 */
	public function column_html( $order ) {
		$numbers   = $this->numbers( $order );
		$documents = self::documents( $order );
		$lines     = array();

		if ( null !== $documents ) {
			foreach ( $documents as $document ) {
				$lines[] = esc_html( self::describe( $document ) );
			}
		} else {
			if ( '' !== $numbers['order'] ) {
				/* translators: %s: Fortnox order number */
				$lines[] = sprintf( esc_html__( 'Order %s', 'fortnox-sidecar' ), esc_html( $numbers['order'] ) );
			}
			if ( '' !== $numbers['invoice'] ) {
				/* translators: %s: Fortnox invoice number */
				$lines[] = sprintf( esc_html__( 'Invoice %s', 'fortnox-sidecar' ), esc_html( $numbers['invoice'] ) );
			}
		}
		if ( '' !== $numbers['status'] ) {
			$lines[] = '<small>' . esc_html( $numbers['status'] ) . '</small>';
		}

		if ( empty( $lines ) ) {
			return '<span class="na" aria-label="' . esc_attr__( 'Not in Fortnox yet', 'fortnox-sidecar' ) . '">&ndash;</span>';
		}
		return implode( '<br />', $lines );
	}

	/**
	 * One document in words, e.g. "Credit invoice 63 for invoice 12 (refund 116)".
	 *
	 * @param array $document A document from META_DOCUMENTS.
	 * @return string Plain text (escape it when printing).
	 */
	public static function describe( $document ) {
		$number = isset( $document['number'] ) ? (string) $document['number'] : '';
		$refund = isset( $document['refund'] ) ? (string) $document['refund'] : '';
		$type   = isset( $document['type'] ) ? (string) $document['type'] : '';
		$gone   = ! empty( $document['cancelled'] );
		switch ( $type ) {
			case 'order':
				/* translators: %s: Fortnox order number */
				return sprintf( $gone ? __( 'Order %s cancelled in Fortnox', 'fortnox-sidecar' ) : __( 'Order %s', 'fortnox-sidecar' ), $number );
			case 'invoice':
				/* translators: %s: Fortnox invoice number */
				return sprintf( $gone ? __( 'Invoice %s cancelled in Fortnox', 'fortnox-sidecar' ) : __( 'Invoice %s', 'fortnox-sidecar' ), $number );
			case 'credit_invoice':
				$invoice = isset( $document['invoice'] ) ? (string) $document['invoice'] : '';
				if ( '' !== $refund && ! empty( $document['unlinked'] ) ) {
					/* translators: 1: credit note number, 2: invoice number, 3: WooCommerce refund id */
					return sprintf( __( 'Credit note %1$s for invoice %2$s (refund %3$s, not linked in Fortnox)', 'fortnox-sidecar' ), $number, $invoice, $refund );
				}
				if ( '' !== $refund ) {
					/* translators: 1: credit invoice number, 2: invoice number, 3: WooCommerce refund id */
					return sprintf( __( 'Credit invoice %1$s for invoice %2$s (refund %3$s)', 'fortnox-sidecar' ), $number, $invoice, $refund );
				}
				if ( ! empty( $document['by_hand'] ) ) {
					/* translators: 1: credit invoice number, 2: invoice number */
					return sprintf( __( 'Credit invoice %1$s for invoice %2$s (made in Fortnox)', 'fortnox-sidecar' ), $number, $invoice );
				}
				/* translators: 1: credit invoice number, 2: invoice number */
				return sprintf( __( 'Credit invoice %1$s for invoice %2$s (order cancelled)', 'fortnox-sidecar' ), $number, $invoice );
			case 'order_correction':
				/* translators: 1: Fortnox order number, 2: WooCommerce refund id */
				return sprintf( __( 'Order %1$s corrected before invoicing (refund %2$s)', 'fortnox-sidecar' ), $number, $refund );
			case 'refund_not_booked':
				/* translators: %s: WooCommerce refund id */
				return sprintf( __( 'Refund %s not booked in Fortnox', 'fortnox-sidecar' ), $refund );
		}
		return trim( $type . ' ' . $number );
	}

	/**
	 * The documents in META_DOCUMENTS, or null when the sidecar has not written them.
	 *
	 * @param WC_Order $order Order.
	 * @return array|null
	 */
	private static function documents( $order ) {
		$raw = self::scalar_meta( $order, self::META_DOCUMENTS );
		if ( '' === $raw ) {
			return null;
		}
		$list = json_decode( $raw, true );
		if ( ! is_array( $list ) ) {
			return null;
		}
		return array_values( array_filter( $list, 'is_array' ) );
	}

	/**
	 * Register the meta box on both order edit screens.
	 */
	public function add_meta_box() {
		add_meta_box(
			self::META_BOX,
			__( 'Fortnox', 'fortnox-sidecar' ),
			array( $this, 'render_meta_box' ),
			array( self::LEGACY_SCREEN, self::HPOS_SCREEN ),
			'side',
			'default'
		);
	}

	/**
	 * Meta box content. WordPress passes a WP_Post on the legacy screen and
	 * WooCommerce passes the WC_Order on the HPOS screen.
	 *
	 * @param WP_Post|WC_Order $post_or_order Post or order.
	 */
	public function render_meta_box( $post_or_order ) {
		$order = ( $post_or_order instanceof WP_Post ) ? wc_get_order( $post_or_order->ID ) : $post_or_order;
		if ( ! is_object( $order ) || ! method_exists( $order, 'get_meta' ) ) {
			return;
		}

		$numbers = $this->numbers( $order );
		$rows    = array(
			__( 'Order number', 'fortnox-sidecar' )   => $numbers['order'],
			__( 'Invoice number', 'fortnox-sidecar' ) => $numbers['invoice'],
			__( 'Status', 'fortnox-sidecar' )         => $numbers['status'],
		);

		echo '<table class="fortnox-sidecar-numbers"><tbody>';
		foreach ( $rows as $label => $value ) {
			echo '<tr><th scope="row">' . esc_html( $label ) . '</th><td>';
			echo '' !== $value ? esc_html( $value ) : '&ndash;';
			echo '</td></tr>';
		}
		echo '</tbody></table>';

		$documents = self::documents( $order );
		if ( ! empty( $documents ) ) {
			echo '<p><strong>' . esc_html__( 'In Fortnox', 'fortnox-sidecar' ) . '</strong></p><ul class="fortnox-sidecar-documents">';
			foreach ( $documents as $document ) {
				echo '<li>' . esc_html( self::describe( $document ) ) . '</li>';
			}
			echo '</ul>';
		}

		if ( current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			echo '<p class="description">' . esc_html__( 'To export this order again, choose "Send to Fortnox again" under Order actions and update the order.', 'fortnox-sidecar' ) . '</p>';
			wp_nonce_field( self::nonce_action( $order->get_id() ), self::NONCE_FIELD, false );
		}
	}

	/**
	 * Add "Send to Fortnox again" to the order actions.
	 *
	 * @param array         $actions Actions.
	 * @param WC_Order|null $order   Order (passed since WooCommerce 5.8).
	 * @return array
	 */
	public function add_order_action( $actions, $order = null ) {
		unset( $order );
		if ( ! is_array( $actions ) || ! current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) || ! $this->settings->is_configured() ) {
			return $actions;
		}
		$actions[ self::ACTION ] = __( 'Send to Fortnox again', 'fortnox-sidecar' );
		return $actions;
	}

	/**
	 * Run the order action: WooCommerce fires it while saving the order form.
	 *
	 * WooCommerce has checked its own form nonce by then; this also checks the
	 * capability and the plugin's nonce printed in the meta box.
	 *
	 * @param WC_Order $order Order.
	 * @return bool Whether the sidecar accepted the request.
	 */
	public function handle_order_action( $order ) {
		if ( ! is_object( $order ) || ! method_exists( $order, 'add_order_note' ) ) {
			return false;
		}
		if ( ! current_user_can( Fortnox_Sidecar_Settings::CAPABILITY ) ) {
			return false;
		}

		$nonce = isset( $_POST[ self::NONCE_FIELD ] ) ? sanitize_text_field( wp_unslash( $_POST[ self::NONCE_FIELD ] ) ) : '';
		if ( ! wp_verify_nonce( $nonce, self::nonce_action( $order->get_id() ) ) ) {
			self::note( $order, __( 'Fortnox: the order was not sent again because the security check failed. Reload the order and try again.', 'fortnox-sidecar' ) );
			return false;
		}

		return $this->resend( $order, get_current_user_id() );
	}

	/**
	 * Ask the sidecar to export the order again and note the outcome on the order.
	 *
	 * POST {sidecar}/api/orders/{id}/resend with body
	 * {"order_id":N,"requested_at":unix_time,"nonce":random,"wp_user":user_id} and header
	 * X-Sidecar-Signature: base64(HMAC-SHA256(plugin secret, body)). The sidecar takes
	 * each nonce once, so a copied request cannot be sent again.
	 *
	 * @param WC_Order $order   Order.
	 * @param int      $user_id Requesting user.
	 * @return bool Whether the sidecar answered 2xx.
	 */
	public function resend( $order, $user_id ) {
		if ( ! $this->settings->is_configured() || '' === $this->settings->get_plugin_secret() ) {
			self::note( $order, __( 'Fortnox: the order was not sent again because the plugin is not paired with the sidecar.', 'fortnox-sidecar' ) );
			return false;
		}

		$order_id = (int) $order->get_id();
		$body     = wp_json_encode(
			array(
				'order_id'     => $order_id,
				'requested_at' => time(),
				'nonce'        => bin2hex( random_bytes( 16 ) ),
				'wp_user'      => (int) $user_id,
			)
		);

		$response = wp_remote_post(
			$this->settings->endpoint( sprintf( self::RESEND_PATH, $order_id ) ),
			array(
				'timeout'     => 15,
				'redirection' => 0,
				'headers'     => array(
					'Content-Type'        => 'application/json',
					'Accept'              => 'application/json',
					'X-Sidecar-Signature' => Fortnox_Sidecar_Signature::body_signature( $this->settings->get_plugin_secret(), $body ),
				),
				'body'        => $body,
			)
		);

		if ( is_wp_error( $response ) ) {
			self::note(
				$order,
				/* translators: %s: error message */
				sprintf( __( 'Fortnox: sending the order again failed: the sidecar could not be reached (%s).', 'fortnox-sidecar' ), self::clean( $response->get_error_message() ) )
			);
			return false;
		}

		$code   = (int) wp_remote_retrieve_response_code( $response );
		$detail = self::message_from_body( wp_remote_retrieve_body( $response ) );

		if ( $code >= 200 && $code < 300 ) {
			$note = __( 'Fortnox: the order was queued to be sent to Fortnox again.', 'fortnox-sidecar' );
			if ( '' !== $detail ) {
				/* translators: %s: message from the sidecar */
				$note .= ' ' . sprintf( __( 'Sidecar: %s', 'fortnox-sidecar' ), $detail );
			}
			self::note( $order, $note );
			return true;
		}

		if ( '' === $detail ) {
			/* translators: %d: HTTP status code */
			$detail = sprintf( __( 'HTTP status %d', 'fortnox-sidecar' ), $code );
		}
		/* translators: %s: error message from the sidecar */
		self::note( $order, sprintf( __( 'Fortnox: sending the order again failed: %s', 'fortnox-sidecar' ), $detail ) );
		return false;
	}

	/**
	 * Add a private order note in the name of the user who chose the order action, as
	 * WooCommerce's own order actions do: WC_Order::add_order_note( $note,
	 * $is_customer_note = 0, $added_by_user = false ).
	 *
	 * @param WC_Order $order Order.
	 * @param string   $text  Note.
	 */
	private static function note( $order, $text ) {
		$order->add_order_note( $text, false, true );
	}

	/**
	 * The nonce action for one order.
	 *
	 * @param int $order_id Order ID.
	 * @return string
	 */
	public static function nonce_action( $order_id ) {
		return self::ACTION . '_' . (int) $order_id;
	}

	/**
	 * The three Fortnox values of an order as plain strings.
	 *
	 * @param WC_Order $order Order.
	 * @return array{order:string,invoice:string,status:string}
	 */
	private function numbers( $order ) {
		return array(
			'order'   => self::scalar_meta( $order, self::META_ORDER_NUMBER ),
			'invoice' => self::scalar_meta( $order, self::META_INVOICE_NUMBER ),
			'status'  => self::scalar_meta( $order, self::META_STATUS ),
		);
	}

	/**
	 * One meta value as a trimmed string ('' for arrays and objects).
	 *
	 * @param WC_Order $order Order.
	 * @param string   $key   Meta key.
	 * @return string
	 */
	private static function scalar_meta( $order, $key ) {
		$value = $order->get_meta( $key, true );
		return is_scalar( $value ) ? trim( (string) $value ) : '';
	}

	/**
	 * The sidecar's message from a JSON body: "error", else "message".
	 *
	 * @param string $body Response body.
	 * @return string Plain text, at most 300 characters.
	 */
	private static function message_from_body( $body ) {
		$data = json_decode( (string) $body, true );
		if ( ! is_array( $data ) ) {
			return '';
		}
		foreach ( array( 'error', 'message' ) as $key ) {
			if ( isset( $data[ $key ] ) && is_string( $data[ $key ] ) && '' !== trim( $data[ $key ] ) ) {
				return self::clean( $data[ $key ] );
			}
		}
		return '';
	}

	/**
	 * Plain, bounded text for an order note.
	 *
	 * @param string $text Text from outside.
	 * @return string
	 */
	private static function clean( $text ) {
		$text = sanitize_text_field( (string) $text );
		return mb_strlen( $text ) > 300 ? mb_substr( $text, 0, 297 ) . '...' : $text;
	}
}
