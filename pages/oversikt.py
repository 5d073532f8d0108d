import streamlit as st

st.title('oversikt')
st.info('Under arbeid.')
